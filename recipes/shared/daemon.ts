/**
 * findDaemon: the daemon binary a service part runs, and its version. The binary is the one the
 * `executable` option names or the system's (findBinary, whose error names the Debian package).
 * A binary that a cmmi part of this deployment is going to build (`${nginx-build:location}/...`)
 * does not exist yet when the options are checked on the first run, so it is accepted when it lies
 * inside the location of a part this one refers to; its version then comes from the [versions] pin.
 * The version decides syntax that changed between releases (nginx's `http2 on;`, VCL 4.0/4.1) and
 * is reported with ctx.pick, so `[versions] nginx = ~1.22` pins the system's nginx too.
 */
import * as path from 'node:path';
import type { OptionsContext } from '../../src/recipe';
import { findBinary } from './binaries';

export interface DaemonSpec {
  /** Command names looked up on PATH, in order (`mariadbd`, `mysqld`). */
  names: string[];
  debianPackage: string;
  /** Name reported to [versions] (`nginx`, `mariadb`). */
  software: string;
  versionArgs: string[];
  /** First capture group is the version. */
  versionPattern: RegExp;
  option?: string;
}

export interface Daemon {
  path: string;
  /** undefined when it cannot be told (a binary not built yet and no pin). */
  version?: string;
  /** The whole version output (flavour detection: MariaDB or MySQL). */
  banner: string;
  /** True when a part of this deployment has yet to build it. */
  pending: boolean;
}

/**
 * What `binary versionArgs` prints (stdout and stderr: nginx -v writes to stderr). Asked once per
 * binary and kept between runs (ctx.probe) until the binary changes: a run where nothing changed
 * starts none of the daemons just to learn their versions.
 */
export function versionBanner(ctx: OptionsContext, binary: string, args: string[]): string {
  if (ctx.stat(binary)?.kind !== 'file') return '';
  return ctx.probe([binary, ...args], (result) => `${result.stdout}${result.stderr}`, { timeoutMs: 10_000 });
}

/** Whether `file` is inside the location of a part this part refers to (built in this run). */
function builtByReferencedPart(ctx: OptionsContext, file: string): boolean {
  return ctx.references().some((section) => {
    const other = ctx.section(section);
    const location = other.get('location');
    return other.has('recipe') && !!location && path.resolve(file).startsWith(`${path.resolve(location)}${path.sep}`);
  });
}

export function findDaemon(ctx: OptionsContext, spec: DaemonSpec): Daemon {
  const option = spec.option ?? 'executable';
  const given = ctx.options.get(option)?.trim();
  if (given && path.isAbsolute(given) && ctx.stat(given)?.kind !== 'file' && builtByReferencedPart(ctx, given)) {
    const pin = ctx.pin(spec.software);
    const version = pin ? /(\d+(?:\.\d+){1,2})/.exec(pin)?.[1] : undefined;
    return { path: given, version, banner: '', pending: true };
  }
  const binary = findBinary(ctx, spec.names, spec.debianPackage, option);
  const banner = versionBanner(ctx, binary, spec.versionArgs);
  const version = spec.versionPattern.exec(banner)?.[1];
  if (version) ctx.pick(spec.software, version);
  else
    ctx.warn(
      `[${ctx.name}] cannot tell the version of ${binary} ` +
        `(\`${[path.basename(binary), ...spec.versionArgs].join(' ')}\` printed ` +
        `${JSON.stringify(banner.slice(0, 80))}); assuming a current one`,
    );
  return { path: binary, version, banner, pending: false };
}

/** a >= b for dotted versions ("1.25.1" >= "1.25"). */
export function versionAtLeast(version: string | undefined, minimum: string): boolean {
  if (!version) return true; // unknown: assume current syntax
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0,
      y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}
