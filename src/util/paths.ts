import * as path from 'node:path';

/** Shows a path relative to the working directory when it lies below it, else as is. */
export function displayPath(file: string, cwd = process.cwd()): string {
  if (/^[a-zA-Z0-9+.-]+:\/\//.test(file)) return file;
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
