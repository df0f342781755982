/**
 * Source projects the build-recipe tests serve as tarballs: a tiny C program with a real
 * (hand-written, POSIX sh) configure script that writes a Makefile, like autoconf's interface:
 * `--prefix` (compiled in: `hello --prefix` prints it), `--with-greeting=`, CFLAGS from the
 * environment, `make`, `make install` honouring DESTDIR (`--disable-destdir` writes a Makefile
 * that ignores it, as some hand-written ones do; `--with-conf=FILE` installs a file outside the
 * prefix, as nginx's --conf-path does). A second
 * project is Makefile-only and refuses to build without TARGET=, like haproxy. When
 * BUILD_RECORD names a file, configure and install append a line to it, so tests can count
 * builds.
 */
import { createHash } from 'node:crypto';
import type { TarEntry } from './tar-writer';

export const HELLO_C = `#include <stdio.h>
#include <string.h>
#ifndef GREETING
#define GREETING "hello"
#endif
#ifndef PREFIX
#define PREFIX "(none)"
#endif
#ifdef BREAK
#error "broken on purpose"
#endif
int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--prefix") == 0) {
    printf("%s\\n", PREFIX);
    return 0;
  }
#ifdef SHOUT
  printf("%s!!\\n", GREETING);
#else
  printf("%s\\n", GREETING);
#endif
  return 0;
}
`;

const CONFIGURE = `#!/bin/sh
# hand-written configure: the part of autoconf's interface the cmmi tests need
prefix=/usr/local
destdir='$(DESTDIR)'
conf=
greeting=
for arg in "$@"; do
  case "$arg" in
    --prefix=*) prefix=\${arg#--prefix=} ;;
    --with-greeting=*) greeting=\${arg#--with-greeting=} ;;
    --enable-failure) echo "configure: error: asked to fail" >&2; exit 1 ;;
    --disable-destdir) destdir= ;;
    --with-conf=*) conf=\${arg#--with-conf=} ;;
    *) echo "configure: WARNING: unrecognized option: $arg" ;;
  esac
done
echo "configure: installing into $prefix"
if [ -n "$BUILD_RECORD" ]; then echo "configure $*" >> "$BUILD_RECORD"; fi
define="-DPREFIX='\\"$prefix\\"'"
if [ -n "$greeting" ]; then define="$define -DGREETING='\\"$greeting\\"'"; fi
cat > Makefile <<EOF
PREFIX = $prefix
all: hello
hello: hello.c
\t\\$(CC) \\$(CFLAGS) $define -o hello hello.c
install: hello
\tmkdir -p $destdir\\$(PREFIX)/bin
\tcp hello $destdir\\$(PREFIX)/bin/hello
EOF
if [ -n "$conf" ]; then printf '\\tmkdir -p %s\\n\\tcp README %s\\n' "$destdir$(dirname "$conf")" "$destdir$conf" >> Makefile; fi
`;

const TOOL_MAKEFILE = `PREFIX = /usr/local
all: hello
hello: hello.c
\t@if [ -z "$(TARGET)" ]; then echo "Building without specifying a TARGET is not supported." >&2; exit 1; fi
\t$(CC) -DGREETING='"built for $(TARGET)"' -o hello hello.c
install: hello
\tmkdir -p $(DESTDIR)$(PREFIX)/bin
\tcp hello $(DESTDIR)$(PREFIX)/bin/hello
`;

/** hello-1.0: configure + hello.c under one top-level directory. */
export function helloProject(top = 'hello-1.0', extra: TarEntry[] = []): TarEntry[] {
  return [
    { path: `${top}/`, type: 'dir' },
    { path: `${top}/configure`, content: CONFIGURE, mode: 0o755 },
    { path: `${top}/hello.c`, content: HELLO_C },
    { path: `${top}/README`, content: 'a test project\n' },
    ...extra.map((e) => ({ ...e, path: `${top}/${e.path}` })),
  ];
}

/** tool-2.0: a Makefile-only build that needs TARGET= (like haproxy). */
export function toolProject(top = 'tool-2.0'): TarEntry[] {
  return [
    { path: `${top}/`, type: 'dir' },
    { path: `${top}/Makefile`, content: TOOL_MAKEFILE },
    { path: `${top}/hello.c`, content: HELLO_C },
  ];
}

/** A patch to hello.c changing the default greeting; `strip` 0 or 1 decides its paths. */
export function greetingPatch(strip: 0 | 1): string {
  const [from, to] = strip ? ['a/hello.c', 'b/hello.c'] : ['hello.c.orig', 'hello.c'];
  return (
    `--- ${from}\n+++ ${to}\n@@ -1,5 +1,5 @@\n #include <stdio.h>\n #ifndef GREETING\n-#define GREETING ` +
    `"hello"\n+#define GREETING "hello, patched"\n #endif\n #ifdef BREAK\n`
  );
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
