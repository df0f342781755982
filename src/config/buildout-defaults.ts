/**
 * The [buildout] options every configuration starts from (zc.buildout 2.13's defaults, less the
 * Python-packaging ones), and the post-processing that makes its directories absolute.
 */
import * as path from 'node:path';
import { newValue, record, lastOrigin, DEFAULT_ORIGIN, type Section, type Value } from './model';
import { errors } from '../errors/codes';
import { isUrl } from '../util/url';

export const STATE_FILE = '.installed.json';

const DEFAULTS: Array<[string, string]> = [
  ['allow-picked-versions', 'true'],
  ['bin-directory', 'bin'],
  ['install-from-cache', 'false'],
  ['installed', STATE_FILE],
  ['log-format', ''],
  ['log-level', 'INFO'],
  ['newest', 'true'],
  ['offline', 'false'],
  ['parts-directory', 'parts'],
  ['show-picked-versions', 'false'],
  ['socket-timeout', ''],
  ['update-versions-file', ''],
];

export function defaultBuildoutSection(directory: string): Section {
  const section: Section = new Map();
  for (const [name, value] of DEFAULTS) section.set(name, newValue(value, DEFAULT_ORIGIN));
  section.set('directory', newValue(directory, { kind: 'computed' }));
  return section;
}

/** os.path.join: no normalisation, an absolute second part wins. */
export function pythonJoin(base: string, name: string): string {
  if (name.startsWith('/')) return name;
  if (!base || base.endsWith('/')) return base + name;
  return `${base}/${name}`;
}

function setDirectory(value: Value, directory: string): void {
  value.value = directory;
  record(value, { op: 'DIRECTORY', value: directory, origin: lastOrigin(value) });
}

/**
 * Cache directories are relative to the file that set them (a remote file may not set a
 * relative one); `~` is expanded. Values with substitutions are left for later.
 */
export function absolutizeCacheDirectories(buildout: Section): void {
  const directory = buildout.get('directory')?.value ?? process.cwd();
  for (const name of ['download-cache', 'extends-cache']) {
    const value = buildout.get(name);
    if (!value || value.value.includes('${') || path.isAbsolute(value.value)) continue;
    const origin = lastOrigin(value);
    let base = directory;
    if (origin.kind === 'file') {
      if (isUrl(origin.file)) throw errors.remoteRelativePath(name, value.value, origin.file);
      base = path.dirname(origin.file);
    }
    const expanded = value.value.startsWith('~') ? (require('node:os') as typeof import('node:os')).homedir() + value.value.slice(1) : value.value;
    setDirectory(value, path.resolve(base, expanded));
  }
}

/** bin- and parts-directory relative to buildout:directory, before substitution (as buildout). */
export function absolutizeRawDirectories(buildout: Section): void {
  const directory = buildout.get('directory')?.value ?? '';
  for (const name of ['bin-directory', 'parts-directory']) {
    const value = buildout.get(name);
    if (value && !value.value.includes('${')) setDirectory(value, pythonJoin(directory, value.value));
  }
}
