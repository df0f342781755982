/**
 * Where a self-contained nginx keeps its files, and the argv that runs it. Debian's nginx 1.22 is
 * compiled with paths outside the tree (pid /run/nginx.pid, temp paths under /var/lib/nginx/*,
 * error log "stderr", access log /var/log/nginx): every one of them is overridden here, so a
 * tree's nginx needs nothing from /etc/nginx and runs unprivileged too (see docs/stack.md).
 * Shared by every recipe that runs an nginx (porter, the stack's nginx).
 *
 * Example:
 *
 *     const layout = nginxLayout(ctx.paths.variable('porter', ctx.name), `${location}/nginx.conf`);
 *     ctx.declareProgram({ command: foregroundCommand('/usr/sbin/nginx', layout), ... });
 *     // in nginx.conf: pidDirective(layout), ...tempPathDirectives(layout)
 */
import * as path from 'node:path';

export interface NginxLayout {
  /** `-p`: nginx's prefix; relative paths in the config resolve against it. */
  prefix: string;
  /** `-c`: the main configuration file (absolute). */
  conf: string;
  /** `pid` directive: nginx writes it even in the foreground; used to signal the master. */
  pidFile: string;
  /** `-e` and `error_log`: where nginx writes before and after it has read its config. */
  errorLog: string;
  /** Parent of the five temp directories; it must exist, nginx makes only the last component. */
  tempDir: string;
}

/** The five temp paths nginx is compiled with; each must be relocated into the tree. */
export const TEMP_PATHS = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'] as const;

/** The layout under one prefix directory: run/, log/ and temp/ inside it. */
export function nginxLayout(prefix: string, conf: string): NginxLayout {
  return {
    prefix,
    conf,
    pidFile: path.join(prefix, 'run', 'nginx.pid'),
    errorLog: path.join(prefix, 'log', 'error.log'),
    tempDir: path.join(prefix, 'temp'),
  };
}

/** Directories that must exist before nginx starts (or `nginx -t` runs). */
export function layoutDirectories(layout: NginxLayout): string[] {
  return [layout.prefix, path.dirname(layout.pidFile), path.dirname(layout.errorLog), layout.tempDir];
}

/**
 * A string for an nginx config, double-quoted: paths may hold spaces. Backslashes and quotes are
 * escaped; `$` cannot be escaped in nginx strings, so a value holding one is refused.
 */
export function nginxString(value: string): string {
  if (/[$\n\r\0]/.test(value))
    throw new Error(`cannot put ${JSON.stringify(value)} into an nginx config: "$" and newlines have no escape there`);
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The directives that keep nginx's own files inside the tree. */
export function layoutDirectives(layout: NginxLayout): { main: string[]; http: string[] } {
  return {
    main: [`pid ${nginxString(layout.pidFile)};`, `error_log ${nginxString(layout.errorLog)} warn;`],
    http: TEMP_PATHS.map((name) => `${`${name}_temp_path`.padEnd(22)}${nginxString(path.join(layout.tempDir, name))};`),
  };
}

/** argv of nginx in the foreground, as a process manager runs it (no shell, no daemon). */
export function foregroundCommand(binary: string, layout: NginxLayout): string[] {
  return [binary, '-p', layout.prefix, '-c', layout.conf, '-e', layout.errorLog, '-g', 'daemon off;'];
}

/** argv that checks a configuration file (default: the layout's) without touching a running nginx. */
export function testCommand(binary: string, layout: NginxLayout, conf = layout.conf): string[] {
  return [binary, '-t', '-q', '-p', layout.prefix, '-c', conf, '-e', layout.errorLog];
}
