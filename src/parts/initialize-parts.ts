/**
 * The options phase of every part, run as the Resolver initialises sections: for a section with
 * a `recipe`, load the recipe and call its `options(ctx)`, collecting what it derives, the files
 * it depends on, the programs it declares, the versions it picks and the value it returns (for
 * its install or update). Nothing here touches the tree; `plan` runs exactly this.
 */
import type { OptionsContext, ProgramSpec, TreePaths } from '../recipe';
import type { Resolver, ResolverHooks, SectionState } from '../config/interpolate';
import { loadRecipe, type LoadedRecipe } from './recipe-loader';
import { makePartOptions, optionError } from './part-options';
import { locateInValue, locateOption } from '../config/locate';
import { treePaths } from './tree-paths';
import { isZetaError, type ZetaError, type SourceLocation } from '../errors/zeta-error';
import { printWarning } from '../errors/print';
import { renderTemplate } from './render';
import { ProbeCache } from './probe-cache';
import { engineErrors } from '../errors/codes';
import { accepts } from './accepted-options';
import { addReferences, addTemplateTags } from './option-uses';
import { machineCalls } from './machine-calls';
import { Accounts } from './accounts';

export interface Pick {
  name: string;
  version: string;
  part: string;
}

export interface PartInfo {
  name: string;
  recipe: LoadedRecipe;
  programs: ProgramSpec[];
  /** File -> hash of its contents (util/content-hash.ts; "missing" when it does not exist). */
  inputs: Map<string, string>;
  picks: Pick[];
  /** Parts this one reads through ctx.section() or ctx.programs() (besides ${} references). */
  extraDependencies: Set<string>;
  /** What install will download (ctx.declareDownload), located at the option that names it. */
  downloads: DeclaredDownload[];
  /** What the recipe's options() returned, handed to its install or update in this run. */
  prepared?: unknown;
  /** Derived option -> what its value stands for (ctx.set's explain), recorded and diffed by plan. */
  explain: Map<string, Record<string, string>>;
  /** Options the recipe marked secret (ctx.secret), besides those whose name says so. */
  secrets: Set<string>;
  /** Files install will write (ctx.output): path -> content and mode, diffed by plan. */
  outputs: Map<string, { content: string; mode?: number }>;
}

export interface DeclaredDownload {
  url: string;
  namespace?: string;
  /** The option that names the URL, and where it was written. */
  option: string;
  from?: SourceLocation;
}

export class PartInitializer implements ResolverHooks {
  readonly parts = new Map<string, PartInfo>();
  /** Recipe problems collected instead of thrown (annotate tolerates unknown Python recipes). */
  readonly skipped = new Map<string, ZetaError>();
  private paths?: TreePaths;
  private resolver?: Resolver;
  /** Off once the parts are initialised: sections resolved later (annotate) are plain data. */
  enabled = true;
  /** Values recipes work out from files, kept between runs; a fresh one unless the caller sets it. */
  probes = new ProbeCache();
  /** `section:option` of every option a recipe asked for or a template used (option-uses.ts). */
  readonly used = new Set<string>();
  /** Section names recipes asked about (ctx.hasSection): names a misspelt section may have meant. */
  readonly asked = new Set<string>();
  /** The machine's users, looked up once per run (ctx.account). */
  private readonly accounts = new Accounts();

  constructor(
    private readonly lenient = false,
    private readonly partList: () => string[] = () => [],
  ) {}

  initialize(state: SectionState, resolver: Resolver): void {
    if (!this.enabled || state.name === 'buildout' || !state.raw.has('recipe')) return;
    const spec = resolver.get(state.name, 'recipe')!.trim();
    if (!spec) return;
    this.resolver = resolver;
    this.paths ??= treePaths(resolver);
    const raw = state.raw.get('recipe');
    // located only if an error needs it: finding the column reads the file's lines
    const where = {
      get location() {
        return locateInValue(raw, spec);
      },
      section: state.name,
      option: 'recipe',
    };
    let recipe: LoadedRecipe;
    try {
      recipe = loadRecipe(spec, this.paths.directory, state.name, where);
    } catch (error) {
      if (this.lenient && isZetaError(error)) {
        this.skipped.set(state.name, error);
        return;
      }
      throw error;
    }
    const info: PartInfo = {
      name: state.name,
      recipe,
      programs: [],
      inputs: new Map(),
      picks: [],
      extraDependencies: new Set(),
      downloads: [],
      explain: new Map(),
      secrets: new Set(),
      outputs: new Map(),
    };
    this.parts.set(state.name, info);
    if (recipe.recipe.options) {
      try {
        info.prepared = recipe.recipe.options(this.context(state, info));
      } catch (error) {
        const wrapped = wrapRecipeError(error, state.name, spec, 'checking the options of');
        if (!this.lenient) throw wrapped;
        this.skipped.set(state.name, wrapped); // annotate shows the configuration all the same
      }
    }
  }

  private locator(state: SectionState) {
    return (option: string) => locateOption(state.raw.get(option)) ?? locateOption(state.raw.get('recipe'));
  }

  private context(state: SectionState, info: PartInfo): OptionsContext {
    const resolver = this.resolver!;
    const locate = this.locator(state);
    const name = state.name;
    return {
      name,
      options: makePartOptions(
        name,
        () => resolver.options(name),
        locate,
        (option) => this.used.add(`${name}:${option}`),
      ),
      paths: this.paths!,
      inspecting: this.lenient,
      set: (option, value, { explain } = {}) => {
        if (explain) info.explain.set(option, explain);
        // a recipe derives options; one the configuration sets keeps the value the user wrote
        if (state.raw.has(option)) {
          const current = resolver.get(name, option);
          if (current !== value)
            throw engineErrors.recipeChangesOption(
              name,
              info.recipe.spec,
              option,
              current ?? '',
              value,
              accepts(info.recipe.recipe, option),
              locate(option),
            );
        }
        resolver.set(name, option, value);
      },
      secret: (option) => {
        info.secrets.add(option);
      },
      output: (file, content, { mode } = {}) => {
        info.outputs.set(file, { content, ...(mode === undefined ? {} : { mode }) });
        return file;
      },
      section: (other) => {
        const otherState = resolver.section(other);
        if (other !== name) state.references.add(other);
        return makePartOptions(
          other,
          () => resolver.options(other),
          this.locator(otherState),
          (option) => this.used.add(`${other}:${option}`),
        );
      },
      hasSection: (other) => {
        this.asked.add(other);
        return resolver.hasSection(other);
      },
      ...machineCalls({
        inputs: info.inputs,
        directory: this.paths!.directory,
        inspecting: this.lenient,
        probes: () => this.probes,
        accounts: this.accounts,
      }),
      declareDownload: (url, { namespace, option = 'url' } = {}) => {
        info.downloads.push({ url, namespace, option, from: locate(option) });
      },
      substitute: (text) => {
        addReferences(text, name, this.used, true);
        return resolver.substituteText(name, text);
      },
      raw: (option) => {
        this.used.add(`${name}:${option}`);
        return state.raw.get(option)?.value;
      },
      render: (template, view, file) => {
        addTemplateTags(template, name, this.used);
        return renderTemplate(template, view, file);
      },
      references: () => [...state.references],
      declareProgram: (program) => {
        info.programs.push({ ...program, part: name });
      },
      programs: () => {
        const all: ProgramSpec[] = [];
        for (const part of this.partList()) {
          if (part === name) continue;
          resolver.section(part);
          const other = this.parts.get(part);
          if (other && other.programs.length) {
            info.extraDependencies.add(part);
            all.push(...other.programs);
          }
        }
        return all;
      },
      pick: (software, version) => {
        info.picks.push({ name: software, version, part: name });
      },
      pin: (software) => {
        const section = resolver.get('buildout', 'versions');
        return section && resolver.hasSection(section) ? resolver.get(section, software) : undefined;
      },
      error: (option, message, hint) => optionError(name, option, message, hint, locate),
      warn: (message) => printWarning(engineErrors.recipeWarning(name, message)),
    };
  }
}

/** Anything a recipe throws is reported with its part, its recipe and what was being done. */
export function wrapRecipeError(error: unknown, part: string, recipe: string, doing: string): ZetaError {
  if (isZetaError(error)) {
    if (error.section === undefined) (error as { section?: string }).section = part;
    return error.while(`${doing} part [${part}] (recipe ${recipe})`);
  }
  const message = error instanceof Error ? error.message : String(error);
  const wrapped = engineErrors.recipeFailed(part, recipe, message, error);
  if (error instanceof Error && error.stack) (wrapped as { recipeStack?: string }).recipeStack = error.stack;
  return wrapped.while(`${doing} part [${part}] (recipe ${recipe})`);
}
