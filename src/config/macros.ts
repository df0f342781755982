/**
 * expandMacros: the `<=` option. A section `[b]` with `<= a` starts from a copy of `[a]`
 * (itself expanded first), then lays its own options over it, `+=`/`-=` included. Because the
 * copy is of raw values, `${:option}` in `[a]` later resolves against `[b]`. This is zc.buildout
 * 2.13's `_do_extend_raw`, with each copied value remembering the section it came from.
 */
import { cloneSection, lastOrigin, type ConfigData, type Section, type Value } from './model';
import { updateSection } from './merge';
import { pyStrip } from './python-text';
import { errors } from '../errors/codes';
import { locateInValue } from './locate';
import { nearest } from '../util/suggest';

function copyFrom(value: Value, from: string): Value {
  const entry = { op: 'MACRO' as const, value: value.value, origin: lastOrigin(value), from };
  return { value: value.value, origin: value.origin, initial: value.initial, later: value.later ? [...value.later, entry] : [entry] };
}


function expand(data: ConfigData, name: string, section: Section, doing: string[]): Section {
  if (name === 'buildout') return section;
  if (doing.includes(name)) {
    const chain = [...doing.slice(doing.indexOf(name)), name];
    const owner = data.get(doing[doing.length - 1])?.get('<');
    throw errors.macroLoop(chain, { location: locateInValue(owner, name), section: doing[doing.length - 1], option: '<' });
  }
  const sources = section.get('<');
  if (!sources) return section;
  doing.push(name);
  try {
    const result: Section = new Map();
    for (const line of sources.value.split('\n')) {
      const source = pyStrip(line);
      if (!source) continue;
      const raw = data.get(source);
      if (!raw) {
        throw errors.macroMissing(source, { location: locateInValue(sources, source), section: name, option: '<' }, nearest(source, data.keys()));
      }
      for (const [option, value] of expand(data, source, raw, doing)) result.set(option, copyFrom(value, source));
    }
    updateSection(result, cloneSection(section));
    result.delete('<');
    return result;
  } finally {
    doing.pop();
  }
}

/** The section's options after `<=` expansion; the section itself when it has no `<=`. */
export function expandMacros(data: ConfigData, name: string): Section {
  const section = data.get(name);
  if (!section) throw new Error(`expandMacros: no section ${name}`);
  return section.has('<') ? expand(data, name, section, []) : section;
}
