/**
 * finishBuildoutSection: what zc.buildout 2.13 does to [buildout] once its options are
 * substituted: the directories are joined to buildout:directory once more (a configuration may
 * have set them with references), `installed` is made absolute, `abi-tag-eggs` suffixes the eggs
 * directory, and the values buildout itself reads (booleans, the log level) are checked.
 */
import type { Resolver } from './interpolate';
import { errors } from '../errors/codes';
import { locateOption } from './locate';
import { DIRECTORY_RELATIVE } from './buildout-defaults';
import { pythonJoin } from './python-path';

/** What Python's int() accepts, as far as buildout's options go. */
const PY_INT = /^[\s]*[-+]?(?:\d(?:_?\d)*)[\s]*$/;
const LOG_LEVELS = new Set(['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']);

function where(resolver: Resolver, option: string) {
  return { location: locateOption(resolver.data.get('buildout')?.get(option)), section: 'buildout', option };
}

function checkBoolean(resolver: Resolver, name: string, fallback?: string): boolean {
  const value = resolver.get('buildout', name) ?? fallback!;
  if (value !== 'true' && value !== 'false') throw errors.badBoolean('buildout', name, value, where(resolver, name));
  return value === 'true';
}

export function finishBuildoutSection(resolver: Resolver): void {
  const directory = resolver.get('buildout', 'directory')!;
  for (const name of DIRECTORY_RELATIVE) {
    const value = resolver.get('buildout', name)!;
    if (!value.includes('${')) resolver.set('buildout', name, pythonJoin(directory, value));
  }
  const installed = resolver.get('buildout', 'installed');
  if (installed) resolver.set('buildout', 'installed', pythonJoin(directory, installed));

  const level = resolver.get('buildout', 'log-level')!;
  if (!LOG_LEVELS.has(level) && !PY_INT.test(level)) {
    throw errors.badBuildoutValue(
      'log-level',
      level,
      'DEBUG, INFO, WARNING, ERROR, CRITICAL or a number',
      where(resolver, 'log-level'),
    );
  }
  const verbosity = resolver.get('buildout', 'verbosity');
  if (verbosity !== undefined && !PY_INT.test(verbosity)) {
    throw errors.badBuildoutValue('verbosity', verbosity, 'a whole number', where(resolver, 'verbosity'));
  }
  for (const name of ['prefer-final', 'use-dependency-links', 'allow-picked-versions', 'show-picked-versions'])
    checkBoolean(resolver, name);
  if (checkBoolean(resolver, 'abi-tag-eggs', 'false')) {
    // pep425tags.get_abi_tag() of the system Python: cp311 for CPython 3.11
    const { systemPython } = require('./condition-facts') as typeof import('./condition-facts');
    const [major, minor] = systemPython().info as number[];
    resolver.set(
      'buildout',
      'eggs-directory',
      pythonJoin(resolver.get('buildout', 'eggs-directory')!, `cp${major}${minor}`),
    );
  }
  if (checkBoolean(resolver, 'install-from-cache') && resolver.get('buildout', 'offline') === 'true') {
    throw errors.installFromCacheOffline(where(resolver, 'install-from-cache'));
  }
}
