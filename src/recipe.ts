/**
 * The recipe contract: everything a recipe may see and do. Recipes import only this file.
 *
 * A recipe turns one part (a section with `recipe = NAME`) into things in the tree. Its phases
 * are buildout's, made explicit:
 *
 * 1. `options(ctx)` - pure. Validate options, derive options other parts may reference
 *    (`location`), name the files whose contents count as options (templates), declare the
 *    programs the process manager will run, report versions of software it picks. Runs on every
 *    command, `plan` included, so it must not touch the disk or the network.
 * 2. `install(ctx)` - make things. Register every path with `ctx.created(path)` *before* making
 *    it, so a failure (or a kill) removes exactly what this part made and nothing else.
 * 3. `update(ctx)` - optional; runs instead of install when nothing the part depends on changed.
 *    Without it an unchanged part is left alone.
 * 4. `uninstall(ctx)` - optional; runs before the engine deletes the paths the part recorded.
 *
 * Example (a complete recipe):
 *
 *     import { defineRecipe } from './recipe';
 *     export default defineRecipe({
 *       name: 'hello', version: '1.0.0',
 *       options(ctx) {
 *         ctx.set('location', ctx.paths.part(ctx.name));
 *         ctx.options.required('greeting');
 *       },
 *       async install(ctx) {
 *         const file = `${ctx.options.required('location')}/hello.txt`;
 *         await ctx.writeFile(file, `${ctx.options.required('greeting')}\n`);
 *       },
 *     });
 */

/** A part's resolved options, with typed getters whose errors name the file, line and option. */
export interface PartOptions {
  /** The option's value, or undefined when it is not set. */
  get(option: string): string | undefined;
  /** The value; a missing or empty option is an error naming the part and option. */
  required(option: string): string;
  has(option: string): boolean;
  /** true/false/yes/no/on/off/1/0, or the default; anything else is an error. */
  bool(option: string, fallback: boolean): boolean;
  /** An integer within bounds, or the default. */
  int(option: string, fallback: number, bounds?: { min?: number; max?: number }): number;
  /** Non-empty, trimmed lines of a multi-line value ([] when unset). */
  lines(option: string): string[];
  /** Whitespace-separated words ([] when unset). */
  words(option: string): string[];
  /** Every option, in file order. */
  entries(): Array<[string, string]>;
}

/** Where things go in the tree. Every path is absolute. */
export interface TreePaths {
  /** buildout:directory, the root of the tree. */
  readonly directory: string;
  /** buildout:bin-directory. */
  readonly bin: string;
  /** buildout:parts-directory. */
  readonly parts: string;
  /** `<parts-directory>/<name>`: a part's own directory. */
  part(name: string): string;
  /** `<directory>/var/...`: data, logs and run files; never recorded, so reinstalls keep them. */
  variable(...segments: string[]): string;
  /** `<directory>/etc/...`: generated configuration. */
  etc(...segments: string[]): string;
  /** Zetaserver's own `templates/` directory, for built-in templates. */
  templates(...segments: string[]): string;
  /** Zetaserver's own installation (e.g. `dist/programs/process-manager`), for launchers that run its programs. */
  zetaserver(...segments: string[]): string;
}

/** An address a program listens on or talks to. */
export interface Address {
  host: string;
  port: number;
}

/** How the process manager decides a program is ready. */
export type Readiness =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'http'; url: string; status?: number; host?: string }
  | { kind: 'none' };

/** A long-running program a part declares for the process manager (the supervisor recipe). */
export interface ProgramSpec {
  /** Unique name in the deployment (`nginx`, `instance1`). */
  name: string;
  /** The part that declares it (filled in by the engine). */
  part?: string;
  /** Kind of service, for the monitor and the panel (`nginx`, `haproxy`, `zope`, ...). */
  type: string;
  /** argv of a foreground process; never a shell string. */
  command: string[];
  directory?: string;
  /** Exactly the environment the program gets (nothing is inherited from the shell). */
  environment?: Record<string, string>;
  /** Lower starts first; programs of equal priority start together. */
  priority: number;
  /** User to run as (when the process manager runs as root). */
  user?: string;
  /** Addresses it listens on: checked for clashes at assembly, shown in status. */
  listen: Address[];
  /** The next hop it forwards to (nginx -> varnish -> haproxy): checked at assembly. */
  upstream?: Address[];
  ready: Readiness;
  /** How long to wait for readiness, in ms. */
  readyTimeoutMs: number;
  stopSignal: 'SIGTERM' | 'SIGINT' | 'SIGQUIT' | 'SIGKILL' | 'SIGHUP';
  stopTimeoutMs: number;
  /**
   * After the stop signal, open and close one connection here: for a daemon whose event loop
   * looks at its stop flag only when it wakes (memcached: at its once-a-second clock tick).
   */
  stopWake?: Address;
  /** How to apply a new configuration without a restart, when the daemon supports it. */
  reload?: { signal?: string; command?: string[] };
  /** Signal only the main process (daemons that manage their own workers). */
  ownProcessGroup?: boolean;
  /** Files whose change means the program must be restarted or reloaded by `update`. */
  configFiles?: string[];
  /**
   * What it reads (configs, pages, certificates, the application) and what it writes or makes
   * (logs, data, sockets, pid files): absolute paths, existing or not. Run by root, the assembler
   * checks that the program's user can enter every directory on the way to each of them (and to
   * the command), so a tree in a 0700 home is an error at assembly, not a daemon that cannot
   * start or serves its default error pages.
   */
  reads?: string[];
  writes?: string[];
  /**
   * Who reads and writes those paths when it is not `user`: nginx's master keeps the process
   * manager's identity and its workers switch to their own user, which must reach the pages.
   */
  accessUser?: string;
  /** Log files the program writes itself, rotated with its stdout and stderr. */
  logs?: ProgramLogs;
}

/**
 * A program's own log files and how it moves to a fresh file after the process manager renamed
 * one away: `signal` (sent to its main process: nginx SIGUSR1, mariadbd SIGHUP), `watched` (it
 * notices by itself: Python's logging.handlers.WatchedFileHandler), or `copy` (it cannot reopen:
 * the file is copied and truncated, which can lose what is written in between).
 *
 *     logs: { files: [errorLog, accessLog], reopen: 'signal', signal: 'SIGUSR1' }
 */
export interface ProgramLogs {
  files: string[];
  reopen: 'signal' | 'watched' | 'copy';
  signal?: 'SIGHUP' | 'SIGUSR1' | 'SIGUSR2';
}

/** What `ctx.exec` returns; a non-zero exit is an error unless `allowFailure` is set. */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Working directory (required: recipes never chdir). */
  cwd: string;
  /** Added to (or, with `cleanEnv`, replacing) a copy of the environment; never mutates it. */
  env?: Record<string, string>;
  cleanEnv?: boolean;
  /** Write everything the command prints to this file (and show its tail on failure). */
  logFile?: string;
  input?: string;
  timeoutMs?: number;
  allowFailure?: boolean;
  /** Shown on the progress line ("configure", "make"). */
  step?: string;
}

/** A recipe's logger: lines for the operator, and a transient progress line on a terminal. */
export interface RecipeLogger {
  info(message: string): void;
  detail(message: string): void;
  warn(message: string): void;
  /** Sets the current step shown (with elapsed time) while the part runs. */
  step(message: string): void;
}

/** Phase 1: pure. */
export interface OptionsContext {
  /** The part's name (its section name). */
  readonly name: string;
  readonly options: PartOptions;
  readonly paths: TreePaths;
  /**
   * True under annotate and query, which show the configuration and install nothing: checks that
   * ask another program (is this egg installed for that Python?) may be left to plan and install.
   */
  readonly inspecting: boolean;
  /**
   * Derives an option, visible to other parts as `${name:option}` and recorded in the state. An
   * option the configuration sets keeps the user's value: setting it to anything else is an error
   * (RECIPE_CHANGES_OPTION), so normalise into a value of your own, not into the option:
   *
   *     const output = path.resolve(ctx.paths.directory, ctx.options.required('output'));
   */
  set(option: string, value: string): void;
  /** Another section's resolved options; reading it makes this part depend on it. */
  section(name: string): PartOptions;
  /** Whether the configuration has a section of that name (without depending on it). */
  hasSection(name: string): boolean;
  /** The contents of this file count as options: editing it reinstalls the part. */
  dependOnFile(path: string): void;
  /**
   * A URL install will fetch with ctx.download (same namespace and option). Offline (-o), the
   * engine checks every declared file of the parts it is about to install is in the download
   * cache before it changes anything, and reports all the missing ones at once.
   */
  declareDownload(url: string, options?: { namespace?: string; option?: string }): void;
  /**
   * buildout substitution in a text (`${section:option}`, `${option}` of this part), as
   * collective.recipe.template does it; the sections it names become dependencies of this part.
   */
  substitute(text: string): string;
  /**
   * An option of this part as the configuration writes it (after `<=` macros and `+=`), before
   * any substitution; undefined for an option no file or assignment sets. For a recipe that
   * treats the value as a template of its own (the template recipe's `inline`), so that what
   * a reference brings in is not read as template text again.
   */
  raw(option: string): string | undefined;
  /** Renders a mustache template strictly (see InstallContext.render). */
  render(template: string, view: Record<string, unknown>, templateFile?: string): string;
  /** Sections this part has referred to so far (directly). */
  references(): string[];
  /** Declares a program for the process manager. */
  declareProgram(program: ProgramSpec): void;
  /** Every program the other parts declare (makes this part depend on them). */
  programs(): ProgramSpec[];
  /** Reports the version of software this part uses, checked against [versions] pins. */
  pick(software: string, version: string): void;
  /** The pin for a name in the versions section, if any. */
  pin(software: string): string | undefined;
  /**
   * A value worked out from files, kept between runs (in the installed state): `compute` runs
   * again only when `key` is new or one of `files` changed (size, mtime or inode). For what is
   * slow to ask on every run, such as a daemon's version from its binary:
   *
   *     const banner = ctx.memo(`version ${binary}`, [binary], () => run(binary, '-v'));
   */
  memo(key: string, files: string[], compute: () => string): string;
  /** An error located at one of this part's options (file, line, code frame). */
  error(option: string, message: string, hint?: string): Error;
  warn(message: string): void;
}

/** Phases 2-4. */
export interface InstallContext {
  readonly name: string;
  readonly options: PartOptions;
  readonly paths: TreePaths;
  readonly log: RecipeLogger;
  /** True when the engine runs offline (-o): downloads come from the cache only. */
  readonly offline: boolean;
  /**
   * When a recipe with `replacesInPlace` reinstalls a part: the paths the installed part owns.
   * They stay in place (and recorded) until this install succeeds; empty for a new part.
   */
  readonly previousPaths: string[];
  /** Registers a path this part makes (call before making it); returns the path. */
  created(path: string): string;
  /** Every path registered so far. */
  createdPaths(): string[];
  /** Creates a directory (and missing parents), registering the ones it makes. */
  mkdir(path: string, mode?: number): Promise<string>;
  /** Writes a file atomically (temporary file, then rename), registering it. */
  writeFile(path: string, content: string | Buffer, options?: { mode?: number }): Promise<string>;
  /** Runs a program: argv only, no shell; output captured or written to `logFile`. */
  exec(argv: string[], options: ExecOptions): Promise<ExecResult>;
  /**
   * A verified local copy of a URL (download cache, checksum, offline rules). `option` names the
   * option the URL came from, so errors point at it (default "url"); `checksumOption` the option
   * that pins the checksum, where a mismatch points (default: sha256 or md5sum, when the part
   * sets it).
   */
  download(url: string, checksum?: string, options?: { namespace?: string; option?: string; checksumOption?: string }): Promise<string>;
  /** buildout substitution of `${section:option}` (and `${option}` of this part) in a text. */
  substitute(text: string): string;
  /** Renders a mustache template; a missing variable is an error naming the template and line. */
  render(template: string, view: Record<string, unknown>, templateFile?: string): string;
  /** An error located at one of this part's options. */
  error(option: string, message: string, hint?: string): Error;
}

export interface UninstallContext {
  readonly name: string;
  readonly options: PartOptions;
  readonly paths: TreePaths;
  readonly log: RecipeLogger;
}

export interface Recipe {
  /** The recipe's name as a config names it. */
  name: string;
  /** Its version: a change reinstalls every part that uses it. */
  version: string;
  /**
   * A reinstall builds the new result beside the installed one and swaps at the end, so the
   * engine does not uninstall first: the installed part (its paths and its record) stays until
   * install succeeds, a failed reinstall leaves it working and recorded, and the paths it had
   * that the new install did not register again are removed after the swap. The recipe must
   * then keep every path in `ctx.previousPaths` usable until its own swap, and have no
   * `uninstall` step that a reinstall would need.
   */
  replacesInPlace?: boolean;
  /**
   * The options a part using this recipe may set: names, and patterns with `*` for a family
   * (`'environment-*'`). An option of the part that is neither declared nor read by anyone (this
   * recipe, another recipe through `ctx.section`, a `${part:option}` reference) is reported with
   * the nearest declared name (`http-adress`: did you mean `http-address`?); an error with
   * `[buildout] allow-unknown-options = false`. `recipe`, `<=` and `=>` need no declaring.
   * Leave it out and nothing is checked (recipes written before it keep working).
   *
   *     accepts: ['url', 'sha256', 'configure-options', 'environment-*'],
   */
  accepts?: readonly string[];
  options?(ctx: OptionsContext): void;
  /** May return extra paths it made (besides those registered with `created`). */
  install(ctx: InstallContext): Promise<void | string[]>;
  update?(ctx: InstallContext): Promise<void | string[]>;
  uninstall?(ctx: UninstallContext): Promise<void>;
}

/**
 * A 64-bit hash of generated content, for noticing that it changed (as a derived option):
 * not for integrity, which downloads check with sha256.
 */
export { contentHash } from './util/content-hash';

/** Identity function that gives a recipe object its type. */
export function defineRecipe(recipe: Recipe): Recipe {
  return recipe;
}
