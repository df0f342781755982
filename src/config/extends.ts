/**
 * resolveExtends: reads the root file and, depth-first, every file its `[buildout] extends` names
 * (relative to the file naming it; local paths or URLs), laying later files over earlier ones and
 * the extending file over all of them, as zc.buildout 2.13's `_open` does. A file may appear
 * twice through different branches (a diamond); a file that extends itself is an error that
 * prints the whole chain.
 */
import * as path from 'node:path';
import { cloneSection, type ConfigData, type Section } from './model';
import { parseIni } from './parse-ini';
import { updateData, updateSection } from './merge';
import { readConfigText, type RemoteSettings } from './read-config';
import { errors } from '../errors/codes';
import type { SourceLocation, ZetaError } from '../errors/zeta-error';
import { isUrl } from '../util/url';
import { locateInValue } from './locate';
import { pySplit } from './python-text';

export interface ExtendsContext {
  /** Download-relevant [buildout] options so far: defaults, the root file, the command line. */
  downloadOptions: Section;
  overrides: Section;
  remote: (options: Section) => RemoteSettings;
  warnings: ZetaError[];
}

function joinLocation(base: string, name: string): string {
  if (isUrl(name)) return name;
  if (isUrl(base)) return path.isAbsolute(name) ? name : `${base}/${name}`;
  return path.resolve(base, name);
}

function parentOf(file: string): string {
  return isUrl(file) ? file.slice(0, file.lastIndexOf('/')) : path.dirname(file);
}

/** The files being read, outermost first (a chain thousands of files long stays cheap to search). */
class Trail {
  readonly files: string[] = [];
  private readonly set = new Set<string>();
  has(file: string): boolean {
    return this.set.has(file);
  }
  push(file: string): void {
    this.files.push(file);
    this.set.add(file);
  }
  pop(): void {
    this.set.delete(this.files.pop()!);
  }
  get length(): number {
    return this.files.length;
  }
}

export async function resolveExtends(
  base: string,
  name: string,
  context: ExtendsContext,
  seen = new Trail(),
  downloaded = new Set<string>(),
  where?: () => SourceLocation | undefined,
): Promise<ConfigData> {
  updateSection(context.downloadOptions, cloneSection(context.overrides));
  const file = joinLocation(base, name);
  if (seen.has(file)) throw errors.extendsCycle([...seen.files.slice(seen.files.indexOf(file)), file], where?.());
  const text = await readConfigText(file, context.remote(context.downloadOptions), downloaded, where);
  downloaded.add(file);
  const parsed = parseIni(text, file);
  context.warnings.push(...parsed.warnings);
  if (parsed.errors.length) throw errors.parseFailed(parsed.errors);
  let result = parsed.data;
  const buildout = result.get('buildout');
  const extendsValue = buildout?.get('extends');
  buildout?.delete('extends');
  if (seen.length === 0 && buildout) updateSection(context.downloadOptions, cloneSection(buildout));
  // `extends =` with nothing after it (often followed by a blank line) extends nothing, as in buildout
  const names = extendsValue ? pySplit(extendsValue.value) : [];
  if (extendsValue && names.length) {
    seen.push(file);
    try {
      const here = parentOf(file);
      // locating the name in the file is only needed for an error: done lazily
      const at = (n: string) => (): SourceLocation | undefined => locateInValue(extendsValue, n);
      const merged = await resolveExtends(here, names[0], context, seen, downloaded, at(names[0]));
      for (const other of names.slice(1))
        updateData(merged, await resolveExtends(here, other, context, seen, downloaded, at(other)));
      result = updateData(merged, result);
    } finally {
      seen.pop();
    }
  }
  return result;
}
