/**
 * expandMacros: the `<=` option. A section `[b]` with `<= a` starts from a copy of `[a]`
 * (itself expanded first), then lays its own options over it, `+=`/`-=` included. Because the
 * copy is of raw values, `${:option}` in `[a]` later resolves against `[b]`. This is zc.buildout
 * 2.13's `_do_extend_raw`.
 * The chain of sources is walked with an explicit stack, so a chain thousands of macros deep
 * needs no JavaScript stack, and each section is expanded once (the memo). An expansion shares
 * the values it takes over unchanged with its source (a chain thousands deep whose sections each
 * add an option would otherwise hold its square); a value it changes is copied first, and the
 * copy links to the value it copies (`Value.source`) rather than copying its history.
 */
import {
  cloneSection,
  historyOf,
  lastOrigin,
  macroCopy,
  type ConfigData,
  type HistoryEntry,
  type Section,
  type Value,
} from './model';
import { changedBy, updateSection } from './merge';
import { pyStrip } from './python-text';
import { errors } from '../errors/codes';
import { locateInValue } from './locate';
import { nearest } from '../util/suggest';

/**
 * Expanded sections, never changed once made (their users change copies). The sections asked for
 * are all kept (the Resolver keeps them anyway); the sources expanded on the way, up to a budget
 * of options: past it (a chain of macros whose sections each add options holds the square of its
 * length), such an expansion is made for its user alone, which takes it over.
 */
export class MacroMemo {
  readonly sections = new Map<string, Section>();
  private size = 0;

  constructor(private readonly budget = 1_000_000) {}

  get(name: string): Section | undefined {
    return this.sections.get(name);
  }

  /** Keeps an expansion if the budget allows; false when it is its user's to take over. */
  keep(name: string, section: Section): boolean {
    if (this.size + section.size > this.budget) return false;
    this.size += section.size;
    this.sections.set(name, section);
    return true;
  }
}

/** A section being expanded: its sources, the next one to lay in, what it has so far. */
interface Expansion {
  name: string;
  section: Section;
  sources: string[];
  next: number;
  result: Section;
  /** The source each option was taken from, while it is still shared with it... */
  from: Map<string, string>;
  /** ...or, for the options of an expansion taken over whole, that source. */
  fromAll: string | undefined;
  /** The finished expansion of a source that was not kept: this one takes it over. */
  handed: Section | undefined;
}

function sourcesOf(section: Section): string[] {
  const out: string[] = [];
  for (const line of section.get('<')!.value.split('\n')) {
    const source = pyStrip(line);
    if (source) out.push(source);
  }
  return out;
}

function start(name: string, section: Section, doing: Expansion[], names: Set<string>): Expansion {
  if (names.has(name)) {
    const from = doing.findIndex((e) => e.name === name);
    const chain = [...doing.slice(from).map((e) => e.name), name];
    const owner = doing[doing.length - 1];
    throw errors.macroLoop(chain, {
      location: locateInValue(owner.section.get('<'), name),
      section: owner.name,
      option: '<=',
    });
  }
  names.add(name);
  return {
    name,
    section,
    sources: sourcesOf(section),
    next: 0,
    result: new Map(),
    from: new Map(),
    fromAll: undefined,
    handed: undefined,
  };
}

/** The section's own options laid over what it took from its sources (copying what they change). */
function finish(top: Expansion): Section {
  const own = cloneSection(top.section);
  for (const option of changedBy(own)) {
    const source = top.from.get(option) ?? (top.result.has(option) ? top.fromAll : undefined);
    if (source !== undefined) top.result.set(option, macroCopy(top.result.get(option)!, source));
  }
  updateSection(top.result, own);
  top.result.delete('<');
  return top.result;
}

/** The section's options after `<=` expansion; the section itself when it has no `<=`. */
export function expandMacros(data: ConfigData, name: string, memo = new MacroMemo()): Section {
  const section = data.get(name);
  if (!section) throw new Error(`expandMacros: no section ${name}`);
  // [buildout] is never expanded, as in buildout
  if (!section.has('<') || name === 'buildout') return section;
  const known = memo.get(name);
  if (known) return known;
  const doing: Expansion[] = [];
  const names = new Set<string>();
  doing.push(start(name, section, doing, names));
  for (;;) {
    const top = doing[doing.length - 1];
    if (top.next < top.sources.length) {
      const source = top.sources[top.next];
      const raw = data.get(source);
      if (!raw) {
        throw errors.macroMissing(
          source,
          { location: locateInValue(top.section.get('<'), source), section: top.name, option: '<=' },
          nearest(source, data.keys()),
        );
      }
      const handed = top.handed;
      const expanded = handed ?? (source === 'buildout' || !raw.has('<') ? raw : memo.get(source));
      if (!expanded) {
        doing.push(start(source, raw, doing, names)); // expanded first; this source is then taken again
        continue;
      }
      top.next++;
      top.handed = undefined;
      if (handed && !top.result.size) {
        // nobody else has this expansion: it becomes this one's, with no option copied
        top.result = handed;
        top.fromAll = source;
        continue;
      }
      expanded.forEach((value, option) => {
        top.result.set(option, value);
        top.from.set(option, source);
      });
      continue;
    }
    const result = finish(top);
    doing.pop();
    names.delete(top.name);
    if (!doing.length) {
      memo.sections.set(top.name, result); // the caller keeps it anyway (a section's raw options)
      return result;
    }
    if (!memo.keep(top.name, result)) doing[doing.length - 1].handed = result;
  }
}

/** The source of `section` an option was taken over from unchanged, if it was. */
function sharedFrom(
  data: ConfigData,
  memo: MacroMemo,
  section: string,
  value: Value,
  option: string,
): string | undefined {
  const own = data.get(section);
  if (!own?.has('<') || section === 'buildout' || own.get(option) === value) return undefined;
  const sources = sourcesOf(own);
  for (let i = sources.length - 1; i >= 0; i--) {
    const expanded = memo.get(sources[i]) ?? data.get(sources[i]);
    if (expanded?.get(option) === value) return sources[i];
  }
  return undefined;
}

/**
 * An option's whole history in an expanded section (what annotate prints): the value's own, and
 * for a value shared with the section's source, the copy from it.
 */
export function macroHistory(
  data: ConfigData,
  memo: MacroMemo,
  section: string,
  option: string,
  value: Value,
): HistoryEntry[] {
  const history = historyOf(value);
  const source = sharedFrom(data, memo, section, value, option);
  if (source !== undefined) history.push({ op: 'MACRO', value: value.value, origin: lastOrigin(value), from: source });
  return history;
}
