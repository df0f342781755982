'use strict';
/** The Debian packages Zetaserver's stack, builds and tests need (see README "Requirements"). */
exports.DEBIAN_PACKAGES = [
  'python3-zc.buildout', // the reference the configuration language is tested against
  'chromium', // the process manager's control panel is tested in headless Chromium (playwright-core, no browser download)
  'mariadb-server', // mariadbd under the process manager: stopped with SIGTERM, no crash recovery (test/process-manager)
  'haproxy', // the panel's browser test watches an instance go DOWN and UP in HAProxy's stats page
  'util-linux', // setpriv: programs run as their configured user when the process manager runs as root
];
