/**
 * The Resolver: `${section:option}` and `${:option}` substitution, lazily and memoised, as
 * zc.buildout 2.13 does it. Text between `$$` is substituted piece by piece and the `$$` kept, so
 * `$${x:y}` survives as is. Accessing a section first expands its `<=` macros, then resolves all of
 * its options (so a broken option is reported even when only a sibling is referenced), then lets
 * a hook derive more options (a recipe's options phase, which may set `location`).
 * The Resolver also records which sections each section referred to: the part graph is built
 * from that record, never from lookup order.
 *
 * The work is zc.buildout's recursion (a value needs a section initialised, which needs its
 * values, which need other values...) written as frames: one per option being substituted and
 * per section being initialised, each holding where its work stands. A frame that meets a
 * reference it cannot answer yet has the frame that answers it run first. While the nesting is
 * shallow that is a plain call (`initializeNow`, `readNow`: the recursion itself, the common case
 * and the cheapest); past NESTING_LIMIT the child is pushed on an explicit stack, stepped by one
 * loop (`drive`), and the waiting frame resumed with its result, so a chain of substitutions or
 * initialisations thousands deep needs no more JavaScript stack. Both ways run the same steps in
 * the same order (test/config/resolver-stack.test.ts compares them). A hook (a recipe) calling
 * back into the Resolver counts as one more level.
 * This is the hot path of every run (thousands of options): each distinct `${...}` text is parsed
 * once, and a reference to a plain or finished value is answered without a frame.
 */
import type { ConfigData, HistoryEntry, Section } from './model';
import { expandMacros, macroHistory, MacroMemo } from './macros';
import { engineErrors, errors, type Where } from '../errors/codes';
import { locateInValue } from './locate';
import { nearest } from '../util/suggest';
import { pySort, pySplit } from './python-text';
import { Chain, parseReference, type Reference } from './references';

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

/** Who asked for a section, for the error when it does not exist. */
interface Asker {
  state: SectionState;
  option: string;
  ref: string;
}

const SECTION = 0;
const VALUE = 1;

// what a value frame substitutes for: zc.buildout's `_dosub` at initialisation, Options.get, a template
const COOK = 0;
const READ = 1;
const TEXT = 2;

// the phases of a section frame
const COOKING = 0;
const DEPENDENCY_TEXT = 1;
const DEPENDENCIES = 2;

// what a suspended frame waits for
const NOTHING = 0;
const A_SECTION = 1;
const A_VALUE = 2;

/** A section being initialised: its options with references cooked in order, then `=>`, then the hook. */
interface SectionFrame {
  kind: typeof SECTION;
  state: SectionState;
  phase: number;
  /** The options to cook, then the `=>` dependencies. */
  list: string[];
  index: number;
  waiting: number;
}

/** One substitution pass over a text: piece by piece between `$$`, reference by reference. */
interface ValueFrame {
  kind: typeof VALUE;
  purpose: number;
  state: SectionState;
  option: string;
  /** The chain of options being substituted; made on first need (a cook's is just its own option). */
  chain: Chain | undefined;
  /** False for the scratch frame a cook runs in until it has to wait for another frame. */
  onStack: boolean;
  /** The pieces between `$$` (undefined when there is a single one), and the current one. */
  pieces: string[] | undefined;
  piece: number;
  template: string;
  /** Where the scan is in `template`, and the substituted text before it. */
  pos: number;
  out: string;
  waiting: number;
  /** The reference being answered by a child frame. */
  refStart: number;
  refEnd: number;
}

type Frame = SectionFrame | ValueFrame;

/** How many loops may nest (each a few JavaScript frames) before children wait on the stack instead. */
export const NESTING_LIMIT = 64;

/** The answer of a reference that needs a child frame first. */
const SUSPENDED: unique symbol = Symbol('suspended');

export class Resolver {
  private readonly states = new Map<string, SectionState>();
  private readonly references = new Map<string, Reference>();
  /** Sections expanded by `<=`, each once. */
  private readonly macros = new MacroMemo();
  /** Sections being initialised, outermost first. */
  private readonly initializing: string[] = [];
  /** Sections in the order their initialisation finished (zc.buildout's part order). */
  readonly initialized: string[] = [];
  private readonly stack: Frame[] = [];
  /**
   * Most cooks finish in one pass (their references are plain or finished values): they run in
   * this frame, which joins the stack (and is replaced) only when a cook has to wait.
   */
  private readonly scratches: ValueFrame[] = [];
  /** How many drive loops are running inside one another. */
  private nesting = 0;
  /** What the frame popped last produced, for the frame it resumes. */
  private result: unknown;

  /** Record every other section's option each section reads (the engine shows changes of those). */
  trackOptions = false;

  /** `nestingLimit`: how deep children nest before they wait on the stack (tests set 0: frames only). */
  constructor(
    readonly data: ConfigData,
    private readonly hooks: ResolverHooks = {},
    private readonly nestingLimit = NESTING_LIMIT,
  ) {}

  hasSection(name: string): boolean {
    return this.data.has(name);
  }

  /** The state of a section already initialised, without initialising it. */
  stateOf(name: string): SectionState | undefined {
    return this.states.get(name);
  }

  /** Initialises a section (macros, all substitutions, hook) and returns its state. */
  section(name: string): SectionState {
    const known = this.states.get(name);
    if (known) return known;
    this.initializeNow(name);
    return this.states.get(name)!;
  }

  /** The resolved value of an option, or undefined when the section lacks it. */
  get(sectionName: string, option: string): string | undefined {
    return this.lookup(this.section(sectionName), option);
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
    const base = this.stack.length;
    this.pushValue(TEXT, state, '(template)', qualified, undefined, false);
    this.nest(base);
    return this.result as string;
  }

  /** The history of a raw option of a section (its `<=` copy included), for annotate. */
  historyOf(sectionName: string, option: string): HistoryEntry[] {
    const state = this.section(sectionName);
    return macroHistory(this.data, this.macros, sectionName, option, state.raw.get(option)!);
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
    state.raw.forEach((raw, option) =>
      visit(option, values.get(option) ?? (raw.value.includes('${') ? this.read(state, option) : raw.value)),
    );
    if (state.derived) for (const option of state.derived) visit(option, values.get(option)!);
  }

  private lookup(state: SectionState, option: string): string | undefined {
    const done = state.values.get(option);
    if (done !== undefined) return done;
    const raw = state.raw.get(option);
    if (raw === undefined) return undefined;
    return raw.value.includes('${') ? this.read(state, option) : raw.value;
  }

  /** Options.get of an option with a reference, on a chain of its own. */
  private read(state: SectionState, option: string): string {
    const done = state.values.get(option);
    if (done !== undefined) return done;
    return this.readNow(state, option, new Chain());
  }

  // --- the frames -------------------------------------------------------------------------

  /** Steps the frames above `base` until they are all finished; on an error, abandons them. */
  private drive(base: number): void {
    const stack = this.stack;
    try {
      while (stack.length > base) {
        const frame = stack[stack.length - 1];
        if (frame.kind === VALUE ? this.stepValue(frame) : this.stepSection(frame)) stack.pop();
      }
    } catch (error) {
      // what the recursion's `finally` blocks did: the chains and the initialising list unwound
      while (stack.length > base) {
        const frame = stack.pop()!;
        if (frame.kind === SECTION) this.initializing.pop();
        else if (frame.purpose === READ) frame.chain!.pop();
      }
      throw error;
    }
  }

  private pushSection(name: string, asker?: Asker): void {
    this.stack.push(this.makeSection(name, asker));
  }

  /** The frame that initialises a section, its state registered as initialising. */
  private makeSection(name: string, asker?: Asker): SectionFrame {
    if (!this.data.has(name)) {
      const where = asker ? this.where(asker.state, asker.option, asker.ref) : {};
      throw errors.missingSection(asker?.ref ?? `[${name}]`, name, where, nearest(name, this.data.keys()));
    }
    const state: SectionState = {
      name,
      raw: expandMacros(this.data, name, this.macros),
      values: new Map(),
      references: new Set(),
      state: 'initializing',
    };
    this.states.set(name, state);
    this.initializing.push(name);
    // buildout resolves a section's options sorted by name: the first broken one is reported
    // forEach rather than for-of: a cold process runs this interpreted, where each iterator step allocates
    const withReferences: string[] = [];
    state.raw.forEach((value, option) => {
      if (value.value.includes('${')) withReferences.push(option);
    });
    return { kind: SECTION, state, phase: COOKING, list: pySort(withReferences), index: 0, waiting: NOTHING };
  }

  /**
   * Initialises a section before going on. While the nesting is shallow the frame is stepped by
   * a plain call (every child of it runs nested in turn, so it never waits); deeper, it runs in a
   * loop of its own where its children wait on the stack.
   */
  private initializeNow(name: string, asker?: Asker): void {
    if (this.nesting + 1 >= this.nestingLimit) {
      const base = this.stack.length;
      this.pushSection(name, asker);
      this.nest(base);
      return;
    }
    const frame = this.makeSection(name, asker);
    this.nesting++;
    try {
      if (!this.stepSection(frame)) throw new Error(`Resolver: [${name}] waited at nesting ${this.nesting}`);
    } catch (error) {
      if (frame.state.state === 'initializing') this.initializing.pop(); // as drive() unwinds a frame
      throw error;
    } finally {
      this.nesting--;
    }
  }

  /** Reads an option holding a reference before going on: a plain call while shallow, else a loop of its own. */
  private readNow(state: SectionState, option: string, chain: Chain): string {
    if (this.nesting + 1 >= this.nestingLimit) {
      const base = this.stack.length;
      this.pushRead(state, option, chain);
      this.nest(base);
      return this.result as string;
    }
    chain.push(state.name, option);
    this.nesting++;
    const frame = this.fill(
      (this.scratches[this.nesting] ??= Resolver.frame()),
      READ,
      state,
      option,
      state.cooked?.get(option) ?? state.raw.get(option)!.value,
      chain,
      true,
    );
    try {
      if (!this.stepValue(frame))
        throw new Error(`Resolver: ${state.name}:${option} waited at nesting ${this.nesting}`);
    } catch (error) {
      chain.pop(); // as drive() unwinds a read
      throw error;
    } finally {
      this.nesting--;
    }
    return this.result as string;
  }

  private static frame(): ValueFrame {
    return {
      kind: VALUE,
      purpose: COOK,
      state: undefined!,
      option: '',
      chain: undefined,
      onStack: false,
      pieces: undefined,
      piece: 0,
      template: '',
      pos: 0,
      out: '',
      waiting: NOTHING,
      refStart: 0,
      refEnd: 0,
    };
  }

  private fill(
    frame: ValueFrame,
    purpose: number,
    state: SectionState,
    option: string,
    text: string,
    chain: Chain | undefined,
    pieces: boolean,
  ): ValueFrame {
    const split = pieces && text.includes('$$') ? text.split('$$') : undefined;
    frame.purpose = purpose;
    frame.state = state;
    frame.option = option;
    frame.chain = chain;
    frame.pieces = split;
    frame.piece = 0;
    frame.template = split ? split[0] : text;
    frame.pos = 0;
    frame.out = '';
    frame.waiting = NOTHING;
    return frame;
  }

  private pushValue(
    purpose: number,
    state: SectionState,
    option: string,
    text: string,
    chain: Chain | undefined,
    pieces: boolean,
  ): void {
    const frame = this.fill(Resolver.frame(), purpose, state, option, text, chain, pieces);
    frame.onStack = true;
    this.stack.push(frame);
  }

  /** Runs the frames above `base` (just pushed) in a loop of its own, to their end (the result in `result`). */
  private nest(base: number): void {
    this.nesting++;
    try {
      this.drive(base);
    } finally {
      this.nesting--;
    }
  }

  /** Puts a frame that must wait for another one on the stack (the scratch frame is replaced). */
  private suspend(frame: ValueFrame, waiting: number): void {
    frame.waiting = waiting;
    if (frame.onStack) return;
    frame.onStack = true;
    this.stack.push(frame);
    this.scratches[this.nesting] = Resolver.frame();
  }

  /** A read of an option holding a reference: one pass over its cooked text (or its raw one). */
  private pushRead(state: SectionState, option: string, chain: Chain): void {
    chain.push(state.name, option);
    this.pushValue(READ, state, option, state.cooked?.get(option) ?? state.raw.get(option)!.value, chain, true);
  }

  private stepSection(frame: SectionFrame): boolean {
    const state = frame.state;
    if (frame.phase === COOKING) {
      // locals in the loop: it runs for every option with a reference, mostly interpreted
      const list = frame.list;
      const raw = state.raw;
      const values = state.values;
      const scratch = (this.scratches[this.nesting] ??= Resolver.frame());
      for (let i = frame.index; i < list.length; i++) {
        const option = list[i];
        if (values.has(option)) continue; // read (and so finished) before its section cooked it
        const text = raw.get(option)!.value;
        let cook = scratch;
        if (text.includes('$$')) {
          cook = this.fill(scratch, COOK, state, option, text, undefined, true);
        } else {
          // the scratch frame is at rest (pos 0, nothing waited for) unless it was put on the stack
          cook.purpose = COOK;
          cook.state = state;
          cook.option = option;
          cook.chain = undefined;
          cook.pieces = undefined;
          cook.template = text;
        }
        if (!this.stepValue(cook)) {
          frame.index = i + 1;
          return false; // it waits on the stack for what it needs
        }
      }
      frame.index = list.length;
      // `=> a b` (`<part-dependencies>`): those sections are initialised first
      if (state.name === 'buildout' || !state.raw.has('<part-dependencies>')) return this.finishSection(state);
      const text = this.answerOrPush(frame, state, '<part-dependencies>');
      if (text === SUSPENDED) return false;
      this.startDependencies(frame, text ?? '');
    } else if (frame.phase === DEPENDENCY_TEXT) {
      this.startDependencies(frame, this.result as string);
    }
    while (frame.index < frame.list.length) {
      const dependency = frame.list[frame.index++];
      if (dependency !== state.name) state.references.add(dependency);
      if (this.states.has(dependency)) continue;
      const asker = { state, option: '<part-dependencies>', ref: dependency };
      if (this.nesting < this.nestingLimit) {
        this.initializeNow(dependency, asker);
        continue;
      }
      this.pushSection(dependency, asker);
      return false;
    }
    return this.finishSection(state);
  }

  private answerOrPush(
    frame: SectionFrame,
    state: SectionState,
    option: string,
  ): string | undefined | typeof SUSPENDED {
    const done = state.values.get(option);
    if (done !== undefined) return done;
    const raw = state.raw.get(option);
    if (raw === undefined || !raw.value.includes('${')) return raw?.value;
    if (this.nesting < this.nestingLimit) return this.readNow(state, option, new Chain());
    frame.phase = DEPENDENCY_TEXT;
    this.pushRead(state, option, new Chain());
    return SUSPENDED;
  }

  private startDependencies(frame: SectionFrame, text: string): void {
    frame.phase = DEPENDENCIES;
    frame.list = pySplit(text);
    frame.index = 0;
  }

  private finishSection(state: SectionState): boolean {
    this.hooks.initialize?.(state, this);
    this.initializing.pop();
    state.state = 'ready';
    this.initialized.push(state.name);
    this.result = state;
    return true;
  }

  /** Scans the frame's text from where it stopped; true when the pass is finished. */
  private stepValue(frame: ValueFrame): boolean {
    // the scan works on locals (registers, in a cold process) and writes them back only to wait
    let template = frame.template;
    let pos = frame.pos;
    let out = frame.out;
    if (frame.waiting === A_VALUE) {
      out += template.slice(pos, frame.refStart) + (this.result as string);
      pos = frame.refEnd;
    }
    frame.waiting = NOTHING;
    for (;;) {
      for (;;) {
        const start = template.indexOf('${', pos);
        if (start < 0) break;
        const end = template.indexOf('}', start + 2);
        if (end < 0) break;
        const value = this.reference(frame, template.slice(start, end + 1), start, end + 1);
        if (value === SUSPENDED) {
          frame.template = template;
          frame.pos = pos;
          frame.out = out;
          return false;
        }
        out += template.slice(pos, start) + value;
        pos = end + 1;
      }
      const text = pos === 0 ? template : out + template.slice(pos);
      const pieces = frame.pieces;
      if (pieces) {
        pieces[frame.piece++] = text;
        if (frame.piece < pieces.length) {
          template = pieces[frame.piece];
          pos = 0;
          out = '';
          continue;
        }
      }
      const value = pieces ? pieces.join('$$') : text;
      if (frame.purpose === COOK) {
        // a result without `${` is final (the second pass would not change it)
        if (value.includes('${')) (frame.state.cooked ??= new Map()).set(frame.option, value);
        else frame.state.values.set(frame.option, value);
      } else {
        this.finishValue(frame, value);
      }
      return true;
    }
  }

  /** The end of a read (kept, off the chain) or of a template's substitution. */
  private finishValue(frame: ValueFrame, value: string): void {
    const { state, option } = frame;
    if (frame.purpose === READ) {
      frame.chain!.pop();
      state.values.set(option, value);
    }
    this.result = value;
  }

  private where(state: SectionState, option: string, ref: string): Where {
    return { location: locateInValue(state.raw.get(option), ref), section: state.name, option };
  }

  /** The value of one reference, or SUSPENDED when a child frame must answer first. */
  private reference(frame: ValueFrame, ref: string, start: number, end: number): string | typeof SUSPENDED {
    const { state, option } = frame;
    let parsed = this.references.get(ref);
    if (!parsed) this.references.set(ref, (parsed = parseReference(ref)));
    if (parsed.problem) throw errors.badSubstitution(ref, parsed.problem, this.where(state, option, ref));
    const sectionName = parsed.section || state.name;
    if (sectionName !== state.name) {
      state.references.add(sectionName);
      if (this.trackOptions) (state.referencedOptions ??= new Set()).add(`${sectionName}:${parsed.option}`);
    }
    let target = this.states.get(sectionName);
    if (!target) {
      // initialised first: nested while shallow, else waited for (and the reference looked at again)
      if (this.nesting >= this.nestingLimit) {
        this.suspend(frame, A_SECTION);
        this.pushSection(sectionName, { state, option, ref });
        return SUSPENDED;
      }
      this.initializeNow(sectionName, { state, option, ref });
      target = this.states.get(sectionName)!;
    }
    const done = target.values.get(parsed.option);
    if (done !== undefined) return done;
    // a plain value (most references) needs no cycle check: only substituted options are on the chain
    const raw = target.raw.get(parsed.option);
    if (raw !== undefined) {
      if (!raw.value.includes('${')) return raw.value;
      const chain = (frame.chain ??= frame.purpose === COOK ? new Chain(state.name, option) : new Chain());
      const loop = chain.find(sectionName, parsed.option);
      if (loop >= 0)
        throw errors.circularReference(chain.cycle(loop, sectionName, parsed.option), this.where(state, option, ref));
      if (this.nesting < this.nestingLimit) {
        return this.readNow(target, parsed.option, chain);
      }
      this.suspend(frame, A_VALUE);
      frame.refStart = start;
      frame.refEnd = end;
      this.pushRead(target, parsed.option, chain);
      return SUSPENDED;
    }
    if (parsed.option === SECTION_NAME_OPTION) return state.name;
    if (target.state === 'initializing' && target !== state && target.raw.has('recipe')) {
      // the option may be one the target's recipe derives, but the target is still waiting for this one
      const from = Math.min(
        ...[state.name, target.name].map((n) => this.initializing.indexOf(n)).filter((i) => i >= 0),
      );
      const cycle = this.initializing.slice(from);
      throw engineErrors.partCycle([...cycle, cycle[0]], { ref, where: this.where(state, option, ref) });
    }
    const known = [...target.raw.keys(), ...(target.derived ?? [])];
    throw errors.missingOption(
      ref,
      sectionName,
      parsed.option,
      this.where(state, option, ref),
      nearest(parsed.option, known),
    );
  }
}
