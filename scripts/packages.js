'use strict';
/** The Debian packages Zetaserver's stack, builds and tests need (see README "Requirements"). */
exports.DEBIAN_PACKAGES = [
  'python3-zc.buildout', // the reference the configuration language is tested against
  'gcc', // the C compiler cmmi builds use (tests build a tiny C program; real builds: memcached, haproxy, nginx)
  'libc6-dev', // C headers and crt files; gcc only recommends it and setup installs without recommends
  'make', // cmmi: make and make install
  'patch', // cmmi: patches
  'pkg-config', // configure scripts find libraries with it (memcached, nginx)
  'bzip2', // .tar.bz2 archives: node and the tar package cannot decompress bzip2 (recipes/lib/archive-format.ts)
  'xz-utils', // .tar.xz archives (memcached's Debian orig tarball is xz)
  'zstd', // .tar.zst archives
  'libevent-dev', // memcached build: "configure: error: libevent is required"
  'libpcre2-dev', // haproxy (USE_PCRE2) and nginx (rewrite module) builds
  'libssl-dev', // haproxy (USE_OPENSSL) and nginx (http_ssl_module) builds
  'zlib1g-dev', // haproxy (USE_ZLIB) and nginx (gzip) builds
  'dpkg-dev', // apt-get source, used by the slow build tests to fetch the upstream tarballs from Debian's mirror
];
