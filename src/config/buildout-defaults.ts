/**
 * The [buildout] options every configuration starts from (zc.buildout 2.13's defaults), and what
 * buildout does to its directories before substitution. The Python-packaging options
 * (`eggs-directory`, `find-links`, `executable`, ...) are values only: nothing reads eggs here,
 * but configurations refer to them (`${buildout:eggs-directory}`) and must resolve as in buildout.
 */
import * as path from 'node:path';
import { newValue, record, lastOrigin, DEFAULT_ORIGIN, type Section, type Value } from './model';
import { errors } from '../errors/codes';
import { isUrl } from '../util/url';
import { locateOption } from './locate';
import { expandUser, pythonAbspath, pythonJoin } from './python-path';

export const STATE_FILE = '.installed.json';

/** The system Python 3 zc.buildout would run on (condition-facts.ts describes the same one). */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** In zc.buildout's order (annotate lists them so). `installed` is ours: .installed.json. */
const DEFAULTS: Array<[string, string]> = [
  ['allow-hosts', '*'],
  ['allow-picked-versions', 'true'],
  ['bin-directory', 'bin'],
  ['develop-eggs-directory', 'develop-eggs'],
  ['eggs-directory', 'eggs'],
  ['executable', SYSTEM_PYTHON],
  ['find-links', ''],
  ['install-from-cache', 'false'],
  ['installed', STATE_FILE],
  ['log-format', ''],
  ['log-level', 'INFO'],
  ['newest', 'true'],
  ['offline', 'false'],
  ['parts-directory', 'parts'],
  ['prefer-final', 'true'],
  ['python', 'buildout'],
  ['show-picked-versions', 'false'],
  ['socket-timeout', ''],
  ['update-versions-file', ''],
  ['use-dependency-links', 'true'],
  ['allow-unknown-extras', 'false'],
];

/** Made absolute against the file that set them (buildout: download-cache, eggs-directory, extends-cache). */
const FILE_RELATIVE = ['download-cache', 'eggs-directory', 'extends-cache'];
/** Joined to buildout:directory, before substitution and again after it. */
export const DIRECTORY_RELATIVE = ['bin-directory', 'parts-directory', 'eggs-directory', 'develop-eggs-directory'];

export function defaultBuildoutSection(directory: string): Section {
  const section: Section = new Map();
  for (const [name, value] of DEFAULTS) section.set(name, newValue(value, DEFAULT_ORIGIN));
  section.set('directory', newValue(directory, { kind: 'computed' }));
  return section;
}

function setDirectory(value: Value, directory: string): void {
  if (value.value === directory) return;
  value.value = directory;
  record(value, { op: 'DIRECTORY', value: directory, origin: lastOrigin(value) });
}

/**
 * download-cache, eggs-directory and extends-cache are relative to the file that set them last
 * (defaults and command-line values to buildout:directory); `~` is expanded; a remote file may
 * not set a relative one. Values with substitutions are left as they are, as in buildout.
 */
function absolutizeFileRelative(buildout: Section): void {
  for (const name of FILE_RELATIVE) {
    const value = buildout.get(name);
    if (!value || value.value.includes('${') || value.value.startsWith('/')) continue;
    const origin = lastOrigin(value);
    let base = buildout.get('directory')?.value ?? process.cwd();
    if (origin.kind === 'file') {
      if (isUrl(origin.file)) throw errors.remoteRelativePath(name, value.value, origin.file);
      base = path.dirname(origin.file);
    }
    const expanded = expandUser(value.value);
    setDirectory(value, pythonAbspath(pythonJoin(base, expanded)));
  }
}

/** buildout checks `offline` (and `newest` when online) as written, before any substitution. */
function checkRawBooleans(buildout: Section): void {
  for (const name of ['offline', 'newest']) {
    const value = buildout.get(name)!;
    if (value.value !== 'true' && value.value !== 'false') {
      throw errors.badBoolean('buildout', name, value.value, {
        location: locateOption(value),
        section: 'buildout',
        option: name,
      });
    }
    if (name === 'offline' && value.value === 'true') return;
  }
}

/** What buildout does to [buildout] once the files and the command line are merged. */
export function prepareBuildoutSection(buildout: Section): void {
  absolutizeFileRelative(buildout);
  const directory = buildout.get('directory')!.value;
  for (const name of DIRECTORY_RELATIVE) {
    const value = buildout.get(name);
    if (value && !value.value.includes('${')) setDirectory(value, pythonJoin(directory, value.value));
  }
  checkRawBooleans(buildout);
}
