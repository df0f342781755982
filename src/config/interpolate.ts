/**
 * The Resolver: `${section:option}` and `${:option}` substitution, lazily and memoised, as
 * zc.buildout 2.13 does it. Text between `$$` is substituted piece by piece and the `$$` kept, so
 * `$${x:y}` survives as is. Accessing a section first expands its `<=` macros, then resolves all of
 * its options (so a broken option is reported even when only a sibling is referenced), then lets
 * a hook derive more options (a recipe's options phase, which may set `location`).
 * The Resolver also records which sections each section referred to: the part graph is built
 * from that record, never from lookup order.
 * This is the hot path of every run (thousands of options), so it avoids per-reference closures
 * and re-parsing: each distinct `${...}` text is parsed once.
 */
import type { ConfigData, Section } from './model';
import { expandMacros } from './macros';
import { errors, type Where } from '../errors/codes';
import { locateInValue, locateOption } from './locate';
import { nearest } from '../util/suggest';
import { pySort } from './python-text';

const SIMPLE = /^[-a-zA-Z0-9 ._]+\n?$/;
const VALID = /^\$\{[-a-zA-Z0-9 ._]*:[-a-zA-Z0-9 ._]+\}\n?$/;
export const SECTION_NAME_OPTION = '_buildout_section_name_';

export interface SectionState {
  name: string;
  /** Raw values after macro expansion. */
  raw: Section;
  /** Resolved values, and options derived by the section's hook. */
  values: Map<string, string>;
  /**
   * zc.buildout's `_cooked`: the first substitution pass of an option, made when its section is
   * initialised, kept only when it still holds `${`. Reading the option substitutes it once more
   * (Options.get), so a `$` that lands before `{a:b}` (a value ending in `$`, then `$${a:b}`)
   * makes a reference of the second pass. An option read before its section cooked it gets one
   * pass, as in buildout.
   */
  cooked?: Map<string, string>;
  /** Options set by the hook rather than written in the files. */
  derived?: Set<string>;
  /** Sections this section's values referred to, in the order first met. */
  references: Set<string>;
  /** `section:option` of every value referred to in another section (when tracking is on). */
  referencedOptions?: Set<string>;
  state: 'initializing' | 'ready';
}

export interface ResolverHooks {
  /** Called once a section's own options are resolved; may derive options with `resolver.set`. */
  initialize?(section: SectionState, resolver: Resolver): void;
}

/** A parsed `${section:option}`; `problem` is set when the text is not a valid reference. */
interface Reference {
  section: string;
  option: string;
  problem?: string;
}

/** Who asked for a section, for the error when it does not exist. */
interface Asker {
  state: SectionState;
  option: string;
  ref: string;
}

/**
 * The options being substituted, outermost first, as (section, option) pairs flattened into one
 * array: pushing two names allocates nothing, where a `section:option` key per option would.
 */
type Chain = string[];

function chainIndex(chain: Chain, section: string, option: string): number {
  for (let i = 0; i < chain.length; i += 2) if (chain[i] === section && chain[i + 1] === option) return i;
  return -1;
}

/** The chain from `from` on, closed by `section:option`: what a circular reference error prints. */
function cyclePath(chain: Chain, from: number, section: string, option: string): string[] {
  const path: string[] = [];
  for (let i = from; i < chain.length; i += 2) path.push(`${chain[i]}:${chain[i + 1]}`);
  path.push(`${section}:${option}`);
  return path;
}

function parseReference(ref: string): Reference {
  const parts = ref.slice(2, -1).split(':');
  if (!VALID.test(ref)) {
    if (parts.length < 2) return { section: '', option: '', problem: "doesn't contain a colon" };
    if (parts.length > 2) return { section: '', option: '', problem: 'has too many colons' };
    if (!SIMPLE.test(parts[0])) return { section: '', option: '', problem: 'has invalid characters in its section name' };
    if (!SIMPLE.test(parts[1])) return { section: '', option: '', problem: 'has invalid characters in its option name' };
  }
  return { section: parts[0], option: parts[1] };
}

export class Resolver {
  private readonly states = new Map<string, SectionState>();
  private readonly references = new Map<string, Reference>();
  /** Sections being initialised, outermost first. */
  private readonly initializing: string[] = [];
  /** Sections in the order their initialisation finished (zc.buildout's part order). */
  readonly initialized: string[] = [];

  /** Record every other section's option each section reads (the engine shows changes of those). */
  trackOptions = false;

  constructor(readonly data: ConfigData, private readonly hooks: ResolverHooks = {}) {}

  hasSection(name: string): boolean {
    return this.data.has(name);
  }

  /** The state of a section already initialised, without initialising it. */
  stateOf(name: string): SectionState | undefined {
    return this.states.get(name);
  }

  /** Initialises a section (macros, all substitutions, hook) and returns its state. */
  section(name: string, asker?: Asker): SectionState {
    const known = this.states.get(name);
    if (known) return known;
    if (!this.data.has(name)) {
      const where = asker ? this.where(asker.state, asker.option, asker.ref) : {};
      throw errors.missingSection(asker?.ref ?? `[${name}]`, name, where, nearest(name, this.data.keys()));
    }
    const state: SectionState = {
      name, raw: expandMacros(this.data, name), values: new Map(), references: new Set(), state: 'initializing',
    };
    this.states.set(name, state);
    this.initializing.push(name);
    try {
      this.initializeOptions(state);
    } finally {
      this.initializing.pop();
    }
    state.state = 'ready';
    this.initialized.push(name);
    return state;
  }

  private initializeOptions(state: SectionState): void {
    const name = state.name;
    // buildout resolves a section's options sorted by name: the first broken one is reported
    // forEach rather than for-of: a cold process runs this interpreted, where each iterator step allocates
    const withReferences: string[] = [];
    state.raw.forEach((value, option) => {
      if (value.value.includes('${')) withReferences.push(option);
    });
    for (const option of pySort(withReferences)) this.cook(state, option);
    if (name !== 'buildout' && state.raw.has('<part-dependencies>')) this.initializeDependencies(state);
    this.hooks.initialize?.(state, this);
  }

  /** `=> a b` (`<part-dependencies>`): those sections are initialised first. */
  private initializeDependencies(state: SectionState): void {
    const text = this.lookup(state, '<part-dependencies>', []) ?? '';
    for (const dependency of text.split(/\s+/).filter(Boolean)) {
      if (dependency !== state.name) state.references.add(dependency);
      this.section(dependency, { state, option: '<part-dependencies>', ref: dependency });
    }
  }

  /** The resolved value of an option, or undefined when the section lacks it. */
  get(sectionName: string, option: string): string | undefined {
    return this.lookup(this.section(sectionName), option, []);
  }

  /** Sets a derived option (what a recipe's options phase computes). */
  set(sectionName: string, option: string, value: string): void {
    const state = this.states.get(sectionName) ?? this.section(sectionName);
    state.values.set(option, value);
    if (!state.raw.has(option)) (state.derived ??= new Set()).add(option);
  }

  /**
   * Substitutes `${section:option}` in a text the way collective.recipe.template does: `${name}`
   * means an option of `sectionName`, and `$$` is not an escape (there is none in templates).
   */
  substituteText(sectionName: string, text: string): string {
    const state = this.section(sectionName);
    const qualified = text.replace(/\$\{([^:]+?)\}/g, (_, option: string) => `\${${sectionName}:${option}}`);
    return this.substitute(state, '(template)', qualified, []);
  }

  /** All options of a section, raw ones first then derived ones, resolved. */
  options(sectionName: string): Map<string, string> {
    const out = new Map<string, string>();
    this.forEachOption(sectionName, (option, value) => out.set(option, value));
    return out;
  }

  /** Calls `visit` with each option of a section and its resolved value, in file order. */
  forEachOption(sectionName: string, visit: (option: string, value: string) => void): void {
    const state = this.section(sectionName);
    const { values } = state;
    // values holds only substituted and derived values: a plain value is its raw text
    state.raw.forEach((raw, option) => visit(option, values.get(option) ?? (raw.value.includes('${') ? this.resolve(state, option, []) : raw.value)));
    if (state.derived) for (const option of state.derived) visit(option, values.get(option)!);
  }

  private lookup(state: SectionState, option: string, chain: Chain): string | undefined {
    const done = state.values.get(option);
    if (done !== undefined) return done;
    const raw = state.raw.get(option);
    if (raw === undefined) return undefined;
    return raw.value.includes('${') ? this.resolve(state, option, chain) : raw.value;
  }

  /**
   * zc.buildout's `_dosub`, at section initialisation: the first pass, on a chain of its own. A
   * result without `${` is final (the second pass would not change it); one already read keeps
   * what it was read as.
   */
  private cook(state: SectionState, option: string): void {
    if (state.values.has(option)) return;
    const chain: Chain = [state.name, option];
    const first = this.substitutePieces(state, option, state.raw.get(option)!.value, chain);
    if (first.includes('${')) (state.cooked ??= new Map()).set(option, first);
    else state.values.set(option, first);
  }

  /**
   * Reads an option whose raw value holds a reference (zc.buildout's Options.get): one pass over
   * its cooked text, or over its raw text if it is read before its section cooked it. The result
   * is kept in `values`.
   */
  private resolve(state: SectionState, option: string, chain: Chain): string {
    const done = state.values.get(option);
    if (done !== undefined) return done;
    const raw = state.raw.get(option)!;
    const text = state.cooked?.get(option) ?? raw.value;
    const seen = chainIndex(chain, state.name, option);
    if (seen >= 0) throw errors.circularReference(cyclePath(chain, seen, state.name, option), { location: locateOption(raw), section: state.name, option });
    chain.push(state.name, option);
    let value: string;
    try {
      value = this.substitutePieces(state, option, text, chain);
    } finally {
      chain.length -= 2;
    }
    state.values.set(option, value);
    return value;
  }

  /** One substitution pass: `$$` is an escape, so each piece between two is substituted alone. */
  private substitutePieces(state: SectionState, option: string, text: string, chain: Chain): string {
    return text.includes('$$')
      ? text.split('$$').map((piece) => this.substitute(state, option, piece, chain)).join('$$')
      : this.substitute(state, option, text, chain);
  }

  private where(state: SectionState, option: string, ref: string): Where {
    return { location: locateInValue(state.raw.get(option), ref), section: state.name, option };
  }

  private substitute(state: SectionState, option: string, template: string, chain: Chain): string {
    let out = '';
    let pos = 0;
    for (;;) {
      const start = template.indexOf('${', pos);
      if (start < 0) break;
      const end = template.indexOf('}', start + 2);
      if (end < 0) break;
      out += template.slice(pos, start) + this.reference(state, option, template.slice(start, end + 1), chain);
      pos = end + 1;
    }
    return pos === 0 ? template : out + template.slice(pos);
  }

  private reference(state: SectionState, option: string, ref: string, chain: Chain): string {
    let parsed = this.references.get(ref);
    if (!parsed) this.references.set(ref, (parsed = parseReference(ref)));
    if (parsed.problem) throw errors.badSubstitution(ref, parsed.problem, this.where(state, option, ref));
    const sectionName = parsed.section || state.name;
    if (sectionName !== state.name) {
      state.references.add(sectionName);
      if (this.trackOptions) (state.referencedOptions ??= new Set()).add(`${sectionName}:${parsed.option}`);
    }
    const target = this.states.get(sectionName) ?? this.section(sectionName, { state, option, ref });
    const done = target.values.get(parsed.option);
    if (done !== undefined) return done;
    // a plain value (most references) needs no cycle check: only substituted options are on the chain
    const raw = target.raw.get(parsed.option);
    if (raw !== undefined && !raw.value.includes('${')) return raw.value;
    const loop = chainIndex(chain, sectionName, parsed.option);
    if (loop >= 0) throw errors.circularReference(cyclePath(chain, loop, sectionName, parsed.option), this.where(state, option, ref));
    const value = this.lookup(target, parsed.option, chain);
    if (value !== undefined) return value;
    if (parsed.option === SECTION_NAME_OPTION) return state.name;
    if (target.state === 'initializing' && target !== state && target.raw.has('recipe')) {
      // the option may be one the target's recipe derives, but the target is still waiting for this one
      const from = Math.min(...[state.name, target.name].map((n) => this.initializing.indexOf(n)).filter((i) => i >= 0));
      const cycle = this.initializing.slice(from);
      throw errors.circularParts([...cycle, cycle[0]], ref, this.where(state, option, ref));
    }
    const known = [...target.raw.keys(), ...(target.derived ?? [])];
    throw errors.missingOption(ref, sectionName, parsed.option, this.where(state, option, ref), nearest(parsed.option, known));
  }
}
