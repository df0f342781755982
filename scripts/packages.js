'use strict';
/** The Debian packages Zetaserver's stack, builds and tests need (see README "Requirements"). */
exports.DEBIAN_PACKAGES = [
  'python3-zc.buildout', // the reference the configuration language is tested against
];
