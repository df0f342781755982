/**
 * What the options phase may see of the machine, behind the context's calls: executables on
 * PATH (`which`), what is at a path (`stat`), input files read once with their mode (`readInput`),
 * the assembler's environment. Recipes see the machine only through these, so what they look at
 * is in one place, and an input is read once for both its contents and its hash.
 */
import { accessSync, closeSync, constants, fstatSync, openSync, readFileSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { InputFile, PathInfo } from '../recipe';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A name with a slash as it is, else the first executable on PATH, then in `dirs`. */
export function which(name: string, dirs: readonly string[] = []): string | undefined {
  if (name.includes('/')) return executable(name) ? path.resolve(name) : undefined;
  for (const dir of [...(process.env.PATH ?? '').split(':').filter(Boolean), ...dirs]) {
    const candidate = path.join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

export function stat(file: string): PathInfo | undefined {
  let info;
  try {
    info = statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined; // ENOTDIR, EACCES: nothing reachable there
  }
  if (!info) return undefined;
  const kind = info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'other';
  let real: string | undefined;
  return {
    kind,
    // resolved when asked: most looks only want the kind
    get real() {
      real ??= realpathSync(file);
      return real;
    },
  };
}

/** The file's bytes and mode from one open descriptor, or undefined when it cannot be read. */
export function readInputFile(file: string): InputFile | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const mode = fstatSync(fd).mode & 0o777;
    const bytes = readFileSync(fd);
    let text: string | undefined;
    return {
      path: file,
      bytes,
      mode,
      get text() {
        text ??= bytes.toString('utf8');
        return text;
      },
    };
  } catch {
    return undefined; // a directory, or unreadable
  } finally {
    closeSync(fd);
  }
}
