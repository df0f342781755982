'use strict';
/**
 * The Debian packages Zetaserver needs, in groups: each command installs only the groups it uses
 * (`node scripts/setup.js run test`, wired in package.json). Each package is in one group, the
 * first one a command needs it for; a command that needs a later group installs the earlier
 * ones it relies on too (the nodeset tests use `test`'s ss and curl, the source builds `test`'s
 * make).
 */
exports.PACKAGE_GROUPS = {
  // npm start: assembling deployment.cfg (recipes find these binaries) and running the stack
  run: [
    // nginx's postinst may start a system nginx on :80
    'nginx', // the front web server of the stack (nginx recipe) and porter's front door
    'varnish', // the cache (varnish recipe); needs a C compiler at run time to compile VCL
    'gcc', // varnishd compiles the VCL to C with it at every start (and assembly fills the VCL cache)
    'libc6-dev', // C headers and crt files for it; gcc only recommends it, and setup installs without recommends
    'haproxy', // the load balancer (haproxy recipe)
    'memcached', // the shared cache (memcached recipe)
    'mariadb-server', // the database (mysql recipe): mariadbd and mariadb-install-db
    'python3-waitress', // the WSGI server the instances run (zope-instance recipe, app/)
    'python3-pymysql', // the example application's MariaDB driver
    'openssl', // self-signed certificates for HTTPS (nginx recipe)
    // essential, listed for clarity
    'util-linux', // flock(1) for bin/porter's lock; setpriv runs programs as their configured user
  ],
  // npm test, beyond run: the reference implementation, the browser, the tools the tests check with
  test: [
    'python3-zc.buildout', // the reference the configuration language is tested against (test/config, test/engine)
    'chromium', // the control panel's tests: headless Chromium via playwright-core (no browser download)
    'python3-prometheus-client', // Prometheus's own text-format parser reads the agent's /metrics (test/process-manager/operations)
    'mariadb-client', // the mariadb command the end-to-end tests read the database with
    'iproute2', // ss: the end-to-end tests check what the stack listens on; ip: the nodeset sandbox's namespaces
    'curl', // the hardening test's request as another user; nodeset tests probe one host from another
    'acl', // setfacl: the tree-access test lets service users through a 0700 directory, as the error's hint says
    'make', // cmmi: make and make install (the cmmi tests build small projects; the source builds too)
    'patch', // cmmi: patches (the cmmi tests apply one)
    // .tar.bz2 archives, which node and tar cannot decompress (recipes/shared/archive-format.ts; extract tests)
    'bzip2',
    'xz-utils', // .tar.xz archives (extract and cmmi tests; memcached's Debian orig tarball is xz)
    'zstd', // .tar.zst archives (extract tests)
  ],
  // npm test and test:nodeset, bench:nodeset: the sandbox hosts (test/helpers/nodeset-sandbox/)
  nodeset: [
    'ansible', // the deploy engine: ansible-core plus the collections (ansible.posix: synchronize, the json callback)
    'openssh-server', // the hosts: one sshd per network namespace (policy-rc.d keeps the system sshd stopped)
    // only recommended by openssh-server
    'openssh-sftp-server', // the sftp subsystem of those sshd's: Ansible's file transfers try sftp first
    'rsync', // ansible.posix.synchronize ships release trees to the hosts with it
  ],
  // npm run bench (bench/stack.ts)
  bench: [
    'wrk', // the load generator
    'time', // /usr/bin/time: wrk's own CPU time
  ],
  // npm run test:builds (test/slow/) and deployment-source.cfg: the real source builds
  builds: [
    'pkg-config', // configure scripts find libraries with it (memcached, nginx)
    'libevent-dev', // memcached build: "configure: error: libevent is required"
    'libpcre2-dev', // haproxy (USE_PCRE2) and nginx (rewrite module) builds
    'libssl-dev', // haproxy (USE_OPENSSL) and nginx (http_ssl_module) builds
    'zlib1g-dev', // haproxy (USE_ZLIB) and nginx (gzip) builds
    'dpkg-dev', // apt-get source, used by the slow build tests to fetch the upstream tarballs from Debian's mirror
  ],
};
