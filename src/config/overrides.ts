/**
 * parseOverrides: command-line assignments `section:option=value` (section defaults to
 * buildout; `option+=value` and `option-=value` append and remove lines, as in a file).
 */
import { newValue, type ConfigData, type Section } from './model';
import { errors } from '../errors/codes';
import { pyLess, pyStrip } from './python-text';
import type { ZetaError } from '../errors/zeta-error';

export function isAssignment(argument: string): boolean {
  return argument.includes('=') && !argument.startsWith('-');
}

export function parseOverrides(assignments: string[], warnings: ZetaError[] = []): ConfigData {
  const data: ConfigData = new Map();
  for (const argument of assignments) {
    const equals = argument.indexOf('=');
    const target = argument.slice(0, equals);
    const value = pyStrip(argument.slice(equals + 1));
    const parts = target.split(':');
    if (parts.length > 2) throw errors.badOverride(argument, 'it has more than one ":" before the "="');
    const [section, option] =
      parts.length === 1 ? ['buildout', pyStrip(parts[0])] : [pyStrip(parts[0]), pyStrip(parts[1])];
    if (!section) throw errors.badOverride(argument, 'the section name is empty');
    if (!option || option === '+' || option === '-') throw errors.badOverride(argument, 'the option name is empty');
    let options: Section | undefined = data.get(section);
    if (!options) data.set(section, (options = new Map()));
    const earlier = options.get(option);
    if (earlier !== undefined) {
      // zc.buildout sorts the (section, option, value) assignments and keeps the last of each
      // option: the greatest value wins, not the last one typed
      const kept = pyLess(value, earlier.value) ? earlier.value : value;
      warnings.push(errors.repeatedOverride(section, option, kept));
      if (kept === earlier.value) continue;
    }
    options.set(option, newValue(value, { kind: 'command-line', argument }));
  }
  return data;
}
