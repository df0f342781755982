/**
 * The Resolver: `${section:option}` and `${:option}` substitution, lazily and memoised, as
 * zc.buildout 2.13 does it. Text between `$$` is substituted piece by piece and the `$$` kept, so
 * `$${x:y}` survives as is. Accessing a section first expands its `<=` macros, then resolves all of
 * its options (so a broken option is reported even when only a sibling is referenced), then lets
 * a hook derive more options (a recipe's options phase, which may set `location`).
 * The Resolver also records which sections each section referred to: the part graph is built
 * from that record, never from lookup order.
 */
import type { ConfigData, Section } from './model';
import { expandMacros } from './macros';
import { errors, type Where } from '../errors/codes';
import { locateInValue, locateOption } from './locate';
import { nearest } from '../util/suggest';

const SIMPLE = /^[-a-zA-Z0-9 ._]+\n?$/;
const VALID = /^\$\{[-a-zA-Z0-9 ._]*:[-a-zA-Z0-9 ._]+\}\n?$/;
export const SECTION_NAME_OPTION = '_buildout_section_name_';

export interface SectionState {
  name: string;
  /** Raw values after macro expansion. */
  raw: Section;
  /** Resolved values, and options derived by the section's hook. */
  values: Map<string, string>;
  /** Options set by the hook rather than written in the files. */
  derived: Set<string>;
  /** Sections this section's values referred to, in the order first met. */
  references: string[];
  state: 'initializing' | 'ready';
}

export interface ResolverHooks {
  /** Called once a section's own options are resolved; may derive options with `resolver.set`. */
  initialize?(section: SectionState, resolver: Resolver): void;
}

export class Resolver {
  private readonly states = new Map<string, SectionState>();
  /** Sections in the order their initialisation finished (zc.buildout's part order). */
  readonly initialized: string[] = [];

  constructor(readonly data: ConfigData, private readonly hooks: ResolverHooks = {}) {}

  hasSection(name: string): boolean {
    return this.data.has(name);
  }

  /** Initialises a section (macros, all substitutions, hook) and returns its state. */
  section(name: string, where?: () => Where, ref?: string): SectionState {
    const known = this.states.get(name);
    if (known) return known;
    if (!this.data.has(name)) {
      throw errors.missingSection(ref ?? `[${name}]`, name, where?.() ?? {}, nearest(name, this.data.keys()));
    }
    const state: SectionState = {
      name, raw: expandMacros(this.data, name), values: new Map(), derived: new Set(), references: [], state: 'initializing',
    };
    this.states.set(name, state);
    const names = [...state.raw.keys()].sort();
    for (const option of names) {
      if (state.raw.get(option)!.value.includes('${')) this.resolve(state, option, []);
    }
    if (name !== 'buildout') {
      for (const dependency of (this.get(name, '<part-dependencies>') ?? '').split(/\s+/).filter(Boolean)) {
        this.noteReference(state, dependency);
        this.section(dependency, () => ({ location: locateInValue(state.raw.get('<part-dependencies>'), dependency), section: name, option: '=>' }), `=> ${dependency}`);
      }
    }
    this.hooks.initialize?.(state, this);
    state.state = 'ready';
    this.initialized.push(name);
    return state;
  }

  /** The resolved value of an option, or undefined when the section lacks it. */
  get(sectionName: string, option: string): string | undefined {
    const state = this.section(sectionName);
    return this.lookup(state, option, []);
  }

  /** Sets a derived option (what a recipe's options phase computes). */
  set(sectionName: string, option: string, value: string): void {
    const state = this.states.get(sectionName) ?? this.section(sectionName);
    state.values.set(option, value);
    if (!state.raw.has(option)) state.derived.add(option);
  }

  /** All options of a section, raw ones first then derived ones, resolved. */
  options(sectionName: string): Map<string, string> {
    const state = this.section(sectionName);
    const out = new Map<string, string>();
    for (const option of state.raw.keys()) out.set(option, this.lookup(state, option, [])!);
    for (const option of state.derived) out.set(option, state.values.get(option)!);
    return out;
  }

  private lookup(state: SectionState, option: string, stack: string[]): string | undefined {
    const done = state.values.get(option);
    if (done !== undefined) return done;
    if (!state.raw.has(option)) return undefined;
    return this.resolve(state, option, stack);
  }

  private resolve(state: SectionState, option: string, stack: string[]): string {
    const done = state.values.get(option);
    if (done !== undefined) return done;
    const raw = state.raw.get(option)!;
    let value = raw.value;
    if (value.includes('${')) {
      const key = `${state.name}:${option}`;
      const seen = stack.indexOf(key);
      if (seen >= 0) {
        const cycle = [...stack.slice(seen), key];
        throw errors.circularReference(cycle, { location: locateOption(raw), section: state.name, option });
      }
      stack.push(key);
      try {
        value = value.split('$$').map((piece) => this.substitute(state, option, piece, stack)).join('$$');
      } finally {
        stack.pop();
      }
    }
    state.values.set(option, value);
    return value;
  }

  private where(state: SectionState, option: string, ref: string): Where {
    return { location: locateInValue(state.raw.get(option), ref), section: state.name, option };
  }

  private noteReference(state: SectionState, section: string): void {
    if (section !== state.name && !state.references.includes(section)) state.references.push(section);
  }

  private substitute(state: SectionState, option: string, template: string, stack: string[]): string {
    let out = '';
    let pos = 0;
    for (;;) {
      const start = template.indexOf('${', pos);
      if (start < 0) break;
      const end = template.indexOf('}', start + 2);
      if (end < 0) break;
      const ref = template.slice(start, end + 1);
      out += template.slice(pos, start) + this.reference(state, option, ref, stack);
      pos = end + 1;
    }
    return out + template.slice(pos);
  }

  private reference(state: SectionState, option: string, ref: string, stack: string[]): string {
    const parts = ref.slice(2, -1).split(':');
    if (!VALID.test(ref)) {
      const where = this.where(state, option, ref);
      if (parts.length < 2) throw errors.badSubstitution(ref, "doesn't contain a colon", where);
      if (parts.length > 2) throw errors.badSubstitution(ref, 'has too many colons', where);
      if (!SIMPLE.test(parts[0])) throw errors.badSubstitution(ref, 'has invalid characters in its section name', where);
      if (!SIMPLE.test(parts[1])) throw errors.badSubstitution(ref, 'has invalid characters in its option name', where);
    }
    const sectionName = parts[0] || state.name;
    this.noteReference(state, sectionName);
    const target = this.section(sectionName, () => this.where(state, option, ref), ref);
    const key = `${sectionName}:${parts[1]}`;
    const loop = stack.indexOf(key);
    if (loop >= 0 && !target.values.has(parts[1])) {
      throw errors.circularReference([...stack.slice(loop), key], this.where(state, option, ref));
    }
    const value = this.lookup(target, parts[1], stack);
    if (value !== undefined) return value;
    if (parts[1] === SECTION_NAME_OPTION) return state.name;
    const known = [...target.raw.keys(), ...target.derived];
    throw errors.missingOption(ref, sectionName, parts[1], this.where(state, option, ref), nearest(parts[1], known));
  }
}
