'use strict';
/** The Debian packages Zetaserver's stack, builds and tests need (see README "Requirements"). */
exports.DEBIAN_PACKAGES = [
  'python3-zc.buildout', // the reference the configuration language is tested against
  'nginx', // the front web server of the stack (nginx recipe) and porter's front door; its postinst may start a system nginx on :80
  'varnish', // the cache (varnish recipe); needs a C compiler at run time to compile VCL
  'gcc', // varnishd compiles the VCL to C with it at every start
  'haproxy', // the load balancer (haproxy recipe)
  'memcached', // the shared cache (memcached recipe)
  'mariadb-server', // the database (mysql recipe): mariadbd and mariadb-install-db; also the process manager's SIGTERM test
  'mariadb-client', // the mariadb command the end-to-end test reads the database with
  'python3-waitress', // the WSGI server the instances run (zope-instance recipe, app/)
  'python3-pymysql', // the example application's MariaDB driver
  'openssl', // self-signed certificates for HTTPS (nginx recipe)
  'wrk', // the load generator of bench/stack.ts
  'iproute2', // ss: the end-to-end test checks what the stack listens on
  'time', // /usr/bin/time: wrk's own CPU time in bench/stack.ts
  'util-linux', // flock(1) for bin/porter's lock; setpriv to run programs as their configured user (essential, listed for clarity)
  'chromium', // the process manager's control panel is tested in headless Chromium (playwright-core, no browser download)
];
