'use strict';
/** The Debian packages Zetaserver's stack, builds and tests need (see README "Requirements"). */
exports.DEBIAN_PACKAGES = [
  'python3-zc.buildout', // the reference the configuration language is tested against
  'nginx', // porter, the front door (its tests run a real one)
  'util-linux', // flock(1): bin/porter's lock on the routing table (essential, listed for clarity)
];
