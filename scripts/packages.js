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
  'libc6-dev', // C headers and crt files; gcc only recommends it and setup installs without recommends
  'make', // cmmi: make and make install
  'patch', // cmmi: patches
  'pkg-config', // configure scripts find libraries with it (memcached, nginx)
  'bzip2', // .tar.bz2 archives: node and the tar package cannot decompress bzip2 (recipes/shared/archive-format.ts)
  'xz-utils', // .tar.xz archives (memcached's Debian orig tarball is xz)
  'zstd', // .tar.zst archives
  'libevent-dev', // memcached build: "configure: error: libevent is required"
  'libpcre2-dev', // haproxy (USE_PCRE2) and nginx (rewrite module) builds
  'libssl-dev', // haproxy (USE_OPENSSL) and nginx (http_ssl_module) builds
  'zlib1g-dev', // haproxy (USE_ZLIB) and nginx (gzip) builds
  'dpkg-dev', // apt-get source, used by the slow build tests to fetch the upstream tarballs from Debian's mirror
  'acl', // setfacl: the tree-access test lets service users through a 0700 directory with an ACL, as the error's hint suggests
  'ansible', // the nodeset tests' deploy engine: ansible-core plus the collections (ansible.posix: synchronize, the json callback)
  'openssh-server', // the nodeset tests' hosts: one sshd per network namespace (policy-rc.d keeps the system sshd stopped)
  'openssh-sftp-server', // the sftp subsystem those sshd's offer: Ansible's file transfers try sftp first; only recommended by openssh-server
  'curl', // the nodeset tests probe a host's service from another host with it (exit 7: refused)
  'rsync', // ansible.posix.synchronize ships release trees to the nodeset tests' hosts with it
];
