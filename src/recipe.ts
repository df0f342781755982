/**
 * The recipe contract: everything a recipe may see and do. Recipes import only this file.
 *
 * A recipe turns one part (a section with `recipe = NAME`) into things in the tree. Its phases
 * are buildout's, made explicit:
 *
 * 1. `options(ctx)` - work out what the part is: validate options, derive options other parts
 *    may reference (`location`), declare programs, report versions. It runs on every command,
 *    `plan` included, so it changes nothing, and it sees the machine only through `ctx` (a
 *    binary on PATH, a probe of it, an input file, a user): the engine hashes the inputs into the
 *    part's change detection and keeps probe answers between runs. It returns what it worked out
 *    (P: parsed options, rendered files, the daemon found), and the engine hands that value to
 *    `install` and `update` of the same run.
 * 2. `install(ctx, prepared)` - make things. Register every path with `ctx.created(path)`
 *    *before* making it, so a failure (or a kill) removes exactly what this part made.
 * 3. `update(ctx, prepared)` - optional; runs instead of install when nothing the part depends on
 *    changed. Without it an unchanged part is left alone.
 * 4. `uninstall(ctx)` - optional; runs before the engine deletes the paths the part recorded.
 * 5. `runtime(ctx, prepared)` and `apply(ctx, prepared, report)` - optional; what this run does
 *    to the part's running programs (read-only: plan shows it) and, after install, doing it
 *    (`bin/assemble apply`).
 *
 * For plan to show a change before it happens, `options` declares the files install will write
 * (`ctx.output`), says what a derived digest stands for (`ctx.set(option, value, { explain })`)
 * and marks secrets (`ctx.secret`): plan diffs the files and masks the secrets.
 *
 * Every child process goes through the context: `ctx.probe` in the options phase (run once,
 * answer cached), `ctx.exec` at install (argv only, stopped with the run on ^C).
 *
 * Example (a complete recipe; P is inferred from what `options` returns):
 *
 *     import { defineRecipe } from './recipe';
 *     export default defineRecipe({
 *       name: 'hello', version: '1.0.0',
 *       accepts: ['greeting', 'template'],
 *       options(ctx) {
 *         const location = ctx.paths.part(ctx.name);
 *         ctx.set('location', location);
 *         const template = ctx.readInput(ctx.paths.templates('hello', 'hello.txt'));
 *         if (!template) throw ctx.error('template', 'the hello template is missing');
 *         const text = ctx.render(template.text, { greeting: ctx.options.required('greeting') }, template.path);
 *         return { file: `${location}/hello.txt`, text };
 *       },
 *       async install(ctx, { file, text }) {
 *         await ctx.writeFile(file, text);
 *       },
 *     });
 *
 * A recipe whose `options` returns nothing has P = void, and its install takes `(ctx)` alone:
 * recipes written before P existed keep working unchanged.
 */

/** A part's resolved options, with typed getters whose errors name the file, line and option. */
export interface PartOptions {
  /** The option's value, or undefined when it is not set: `ctx.options.get('bind') ?? '127.0.0.1:8100'`. */
  get(option: string): string | undefined;
  /** The value; a missing or empty option is an error naming the part and option: `ctx.options.required('url')`. */
  required(option: string): string;
  /** Whether the option is set (even empty): `if (ctx.options.has('admin')) ...`. */
  has(option: string): boolean;
  /** true/false/yes/no/on/off/1/0, or the default; anything else is an error: `ctx.options.bool('http2', true)`. */
  bool(option: string, fallback: boolean): boolean;
  /** An integer within bounds, or the default: `ctx.options.int('threads', 4, { min: 1, max: 256 })`. */
  int(option: string, fallback: number, bounds?: { min?: number; max?: number }): number;
  /** Non-empty, trimmed lines of a multi-line value ([] when unset): `ctx.options.lines('backends')`. */
  lines(option: string): string[];
  /** Whitespace-separated words ([] when unset): `ctx.options.words('server-name')`. */
  words(option: string): string[];
  /** Every option, in file order: `Object.fromEntries(ctx.options.entries())` (a template's view). */
  entries(): Array<[string, string]>;
}

/** Where things go in the tree. Every path is absolute. */
export interface TreePaths {
  /** buildout:directory, the root of the tree: `path.resolve(ctx.paths.directory, given)`. */
  readonly directory: string;
  /** buildout:bin-directory: `path.join(ctx.paths.bin, ctx.name)` (a control script). */
  readonly bin: string;
  /** buildout:parts-directory. */
  readonly parts: string;
  /** `<parts-directory>/<name>`, a part's own directory: `ctx.paths.part(ctx.name)`. */
  part(name: string): string;
  /** `<directory>/var/...`: data, logs, run files; never recorded (reinstalls keep them): `ctx.paths.variable()`. */
  variable(...segments: string[]): string;
  /** `<directory>/etc/...`, generated configuration: `ctx.paths.etc(`${ctx.name}.conf`)`. */
  etc(...segments: string[]): string;
  /** Zetaserver's own `templates/` directory, for built-in templates: `ctx.paths.templates('nginx', 'nginx.conf')`. */
  templates(...segments: string[]): string;
  /** Zetaserver's own installation, for launchers that run its programs: `ctx.paths.zetaserver('bin')`. */
  zetaserver(...segments: string[]): string;
}

/** An address a program listens on or talks to: `{ host: '127.0.0.1', port: 8080 }`. */
export interface Address {
  host: string;
  port: number;
}

/** How the process manager decides a program is ready: `{ kind: 'tcp', host: '127.0.0.1', port: 8100 }`. */
export type Readiness =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'http'; url: string; status?: number; host?: string }
  | { kind: 'none' };

/**
 * A long-running program a part declares for the process manager (the supervisor recipe):
 *
 *     ctx.declareProgram({
 *       name: ctx.name, type: 'memcached', command: [binary, '-l', '127.0.0.1', '-p', '11211'],
 *       priority: 0, listen: [address], ready: { kind: 'tcp', ...address }, readyTimeoutMs: 10_000,
 *       stopSignal: 'SIGTERM', stopTimeoutMs: 10_000,
 *     });
 */
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
  /**
   * How to apply a new configuration without a restart: `{ signal: 'SIGHUP' }` or
   * `{ command: [...] }`; `files`: the configuration files a reload applies, when not all of them
   * (a change to any other restarts the program).
   */
  reload?: { signal?: string; command?: string[]; files?: string[] };
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
  /**
   * A load balancer's runtime API, for draining a server before its program restarts (one
   * instance at a time, no request dropped): haproxy's admin stats socket and its servers.
   *
   *     balancer: { socket: '/srv/var/haproxy/haproxy.sock', backend: 'zope',
   *       servers: [{ name: 'instance1', host: '127.0.0.1', port: 8101 }] }
   */
  balancer?: {
    socket: string;
    backend: string;
    servers: Array<{ name: string } & Address>;
    /**
     * haproxy's `server-state-file`: a reload writes the running worker's `show servers state`
     * there first, so the new worker starts with the servers' health instead of one failed
     * check away from DOWN.
     */
    stateFile?: string;
  };
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

/** How `ctx.exec` runs a program: `{ cwd: source, env: { CFLAGS: '-O2' }, logFile, step: 'make' }`. */
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
  /**
   * Its standard output goes into this stream instead of being captured (the result's stdout is
   * then empty): a decompressor feeding an unpacker, `{ cwd, stdout: unpacker, allowFailure: true }`.
   */
  stdout?: NodeJS.WritableStream;
  /** Aborting it stops the program (its whole process group): `{ cwd, signal: controller.signal }`. */
  signal?: AbortSignal;
}

/** A recipe's logger: lines for the operator, and a transient progress line on a terminal. */
export interface RecipeLogger {
  /** A line shown by default: `ctx.log.info('built nginx 1.22.1 in 35.5 s')`. */
  info(message: string): void;
  /** A line shown with -v: `ctx.log.detail(`${page} exists: leaving it alone`)`. */
  detail(message: string): void;
  /** A warning: `ctx.log.warn('make install ignored DESTDIR')`. */
  warn(message: string): void;
  /** Sets the current step shown (with elapsed time) while the part runs: `ctx.log.step('extract')`. */
  step(message: string): void;
}

/** What a probe saw: `code` is null when the program did not exit by itself (see `error`). */
export interface ProbeResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why it could not run or finish (`spawnSync nginx ENOENT`, a timeout), when it could not. */
  error?: string;
}

/** How `ctx.probe` runs its program and when its cached answer is stale. */
export interface ProbeOptions {
  /** The answer is asked again when one of these changes (size, mtime, inode); default: argv[0]. */
  files?: string[];
  /** The program's environment: exactly this (default: the assembler's, inherited). */
  env?: Record<string, string>;
  /** Killed after this long (default 30 s). */
  timeoutMs?: number;
}

/** A file the options depend on, as `ctx.readInput` read it. */
export interface InputFile {
  /** Absolute path. */
  readonly path: string;
  readonly bytes: Buffer;
  /** The bytes as UTF-8. */
  readonly text: string;
  /** Its permission bits (`0o644`). */
  readonly mode: number;
}

/** What `ctx.stat` found at a path (symlinks followed). */
export interface PathInfo {
  kind: 'file' | 'directory' | 'other';
  /** The path with every symlink resolved (`/usr/bin/python3` -> `/usr/bin/python3.11`). */
  readonly real: string;
}

/** A user of this machine (from /etc/passwd, or NSS), with its primary group's name. */
export interface Account {
  name: string;
  uid: number;
  gid: number;
  /** The primary group's name (nginx's `user` directive needs it: Debian's nobody is in nogroup). */
  group: string;
}

/**
 * How `ctx.set` records a derived option. `explain` says what a derived value (a digest, a
 * program table) stands for, as a flat object of named values: the state keeps it (masked), and
 * when the option changes the plan shows what changed underneath, key by key, instead of the
 * value: `program varnish: command: ... -s malloc,128M -> ... -s malloc,256M`.
 *
 *     ctx.set('config-sha256', digest, { explain: { 'program varnish: command': argv.join(' ') } });
 */
export interface SetOptions {
  explain?: Record<string, string>;
}

/** Phase 1: what the part is, worked out without changing anything. */
export interface OptionsContext {
  /** The part's name (its section name): `ctx.paths.part(ctx.name)`. */
  readonly name: string;
  /** This part's options: `ctx.options.required('url')`. */
  readonly options: PartOptions;
  /** Where things go: `ctx.paths.etc(`${ctx.name}.conf`)`. */
  readonly paths: TreePaths;
  /**
   * True under annotate and query, which show the configuration and install nothing: checks that
   * ask another program (is this egg installed for that Python?) may be left to plan and install:
   *
   *     if (!ctx.inspecting) checkPython(ctx, python, eggs);
   */
  readonly inspecting: boolean;
  /**
   * Derives an option, visible to other parts as `${name:option}` and recorded in the state. An
   * option the configuration sets keeps the user's value: setting it to anything else is an error
   * (RECIPE_CHANGES_OPTION), so normalise into a value of your own, not into the option:
   *
   *     ctx.set('location', ctx.paths.part(ctx.name));
   *     const output = path.resolve(ctx.paths.directory, ctx.options.required('output'));
   */
  set(option: string, value: string, options?: SetOptions): void;
  /**
   * Marks an option of this part secret (besides those whose name says password, secret, key,
   * token or passphrase): the plan masks its value in reasons, file diffs and --json, and every
   * occurrence of the value in a generated file: `ctx.secret('admin-credentials')`.
   */
  secret(option: string): void;
  /**
   * Declares a file install will write (through `ctx.writeFile`), with the content it will have:
   * the plan diffs it against the file on disk without writing anything, and reports files a
   * reinstall no longer makes as deleted. Returns the path:
   *
   *     const file = ctx.output(ctx.paths.etc(`${ctx.name}.conf`), text, { mode: 0o600 });
   */
  output(path: string, content: string, options?: { mode?: number }): string;
  /** Another section's resolved options; reading makes this part depend on it: `ctx.section('hosts').get('public')`. */
  section(name: string): PartOptions;
  /** Whether the configuration has a section of that name (without depending on it): `ctx.hasSection('passwords')`. */
  hasSection(name: string): boolean;
  /** The contents of this file count as options, unread here (prefer `readInput`): `ctx.dependOnFile(app)`. */
  dependOnFile(path: string): void;
  /**
   * A file the options are worked out from (a template, a patch): its contents, or undefined when
   * it cannot be read. Its content hash joins the part's change detection, so editing the file
   * reinstalls the part. A relative path is relative to the buildout directory.
   *
   *     const template = ctx.readInput(file);
   *     if (!template) throw ctx.error('input', `template file ${file} does not exist`);
   */
  readInput(path: string): InputFile | undefined;
  /**
   * What is at a path, or undefined when nothing is: a look that is no dependency (a binary a
   * build part will make, a certificate the operator names).
   *
   *     if (ctx.stat(certificate)?.kind !== 'file') throw ctx.error('ssl-certificate', `${certificate}: no such file`);
   */
  stat(path: string): PathInfo | undefined;
  /**
   * An executable file: a name with a slash is checked as it is; a bare name is looked up on the
   * assembler's PATH, then in `dirs`. Undefined when there is none.
   *
   *     const openssl = ctx.which('openssl', ['/usr/bin', '/bin']);
   */
  which(name: string, dirs?: readonly string[]): string | undefined;
  /**
   * Runs a program once and hands what it printed to `parse`. The result is kept between runs
   * (in the installed state) until one of `files` (default: the program itself) changes, so a
   * run where nothing changed starts no program just to ask it its version. argv only, never a
   * shell; give argv[0] as an absolute path (from `which`) so the cache can watch it.
   *
   *     const version = ctx.probe([nginx, '-v'], (r) => /nginx\/([\d.]+)/.exec(r.stderr)?.[1]);
   */
  probe<T>(argv: string[], parse: (result: ProbeResult) => T, options?: ProbeOptions): T;
  /**
   * A user of this machine by name, or undefined when there is none (looked up once per run):
   *
   *     const user = ctx.account('nobody'); // { name: 'nobody', uid: 65534, gid: 65534, group: 'nogroup' }
   */
  account(name: string): Account | undefined;
  /** A variable of the environment the assembler runs in: `ctx.environment('PATH')`. */
  environment(name: string): string | undefined;
  /**
   * A URL install will fetch with ctx.download (same namespace and option). Offline (-o), the
   * engine checks every declared file of the parts it is about to install is in the download
   * cache before it changes anything, and reports all the missing ones at once.
   *
   *     ctx.declareDownload(url, { namespace: 'cmmi', option: 'url' });
   */
  declareDownload(url: string, options?: { namespace?: string; option?: string }): void;
  /**
   * buildout substitution in a text (`${section:option}`, `${option}` of this part), as
   * collective.recipe.template does it; the sections it names become dependencies of this part:
   * `ctx.substitute('${buildout:directory}/var')`.
   */
  substitute(text: string): string;
  /**
   * An option of this part as the configuration writes it (after `<=` macros and `+=`), before
   * any substitution; undefined for an option no file or assignment sets. For a recipe that
   * treats the value as a template of its own (the template recipe's `inline`), so that what
   * a reference brings in is not read as template text again: `ctx.raw('inline')`.
   */
  raw(option: string): string | undefined;
  /** Renders a mustache template strictly (see InstallContext.render): `ctx.render(text, view, file)`. */
  render(template: string, view: Record<string, unknown>, templateFile?: string): string;
  /** Sections this part has referred to so far (directly): `ctx.references().includes('passwords')`. */
  references(): string[];
  /** Declares a program for the process manager (see ProgramSpec): `ctx.declareProgram(spec)`. */
  declareProgram(program: ProgramSpec): void;
  /** Every program the other parts declare (makes this part depend on them): `ctx.programs()`. */
  programs(): ProgramSpec[];
  /** Reports the version of software this part uses, checked against [versions] pins: `ctx.pick('nginx', '1.22.1')`. */
  pick(software: string, version: string): void;
  /** The pin for a name in the versions section, if any: `ctx.pin('nginx')` (`~1.22`). */
  pin(software: string): string | undefined;
  /**
   * A value worked out from files, kept between runs like a probe's answer; `compute` runs again
   * only when `key` is new or one of `files` changed. Kept for recipes written before `probe`:
   * a compute that starts a program belongs in `probe`.
   *
   *     const digest = ctx.memo(`digest ${file}`, [file], () => digestOf(file));
   */
  memo(key: string, files: string[], compute: () => string): string;
  /** An error located at one of this part's options (file, line, code frame): `throw ctx.error('bind', 'no port')`. */
  error(option: string, message: string, hint?: string): Error;
  /** A warning naming this part: `ctx.warn(`[${ctx.name}] cannot tell the version of ${binary}`)`. */
  warn(message: string): void;
}

/** Phases 2-3: making things. */
export interface InstallContext {
  /** The part's name. */
  readonly name: string;
  /** Its options, derived ones included: `ctx.options.required('location')`. */
  readonly options: PartOptions;
  readonly paths: TreePaths;
  readonly log: RecipeLogger;
  /** True when the engine runs offline (-o): downloads come from the cache only. */
  readonly offline: boolean;
  /**
   * When a recipe with `replacesInPlace` reinstalls a part: the paths the installed part owns.
   * They stay in place (and recorded) until this install succeeds; empty for a new part:
   * `ctx.previousPaths.includes(destination)`.
   */
  readonly previousPaths: string[];
  /** Registers a path this part makes (call before making it); returns the path: `ctx.created(link)`. */
  created(path: string): string;
  /** Every path registered so far. */
  createdPaths(): string[];
  /** Creates a directory (and missing parents), registering the ones it makes: `await ctx.mkdir(location)`. */
  mkdir(path: string, mode?: number): Promise<string>;
  /** Writes a file atomically (temporary file, rename), registered: `await ctx.writeFile(file, text, { mode })`. */
  writeFile(path: string, content: string | Buffer, options?: { mode?: number }): Promise<string>;
  /**
   * Runs a program: argv only, no shell; output captured or written to `logFile`:
   * `await ctx.exec(['make', '-j2'], { cwd, step: 'make' })`.
   */
  exec(argv: string[], options: ExecOptions): Promise<ExecResult>;
  /**
   * A verified local copy of a URL (download cache, checksum, offline rules). `option` names the
   * option the URL came from, so errors point at it (default "url"); `checksumOption` the option
   * that pins the checksum, where a mismatch points (default: sha256 or md5sum, when the part
   * sets it): `const file = await ctx.download(url, 'sha256:...', { namespace: 'cmmi' })`.
   */
  download(
    url: string,
    checksum?: string,
    options?: { namespace?: string; option?: string; checksumOption?: string },
  ): Promise<string>;
  /** buildout substitution of `${section:option}` (and `${option}` of this part) in a text. */
  substitute(text: string): string;
  /** Renders a mustache template; a missing variable is an error naming the template and line. */
  render(template: string, view: Record<string, unknown>, templateFile?: string): string;
  /** An error located at one of this part's options: `throw ctx.error('destination', `${target} exists already`)`. */
  error(option: string, message: string, hint?: string): Error;
}

/** Phase 4: before the engine removes what a part recorded. */
export interface UninstallContext {
  readonly name: string;
  /** The options the part was installed with. */
  readonly options: PartOptions;
  readonly paths: TreePaths;
  readonly log: RecipeLogger;
}

/**
 * What applying a part's change does to a running program (the plan shows it, apply does it):
 *
 *     { program: 'varnish', action: 'restart', why: ['its command line changed: -s malloc,128M -> -s malloc,256M'],
 *       cost: 'varnish restart empties its malloc cache' }
 */
export interface RuntimeChange {
  program: string;
  action: 'start' | 'stop' | 'reload' | 'restart' | 'rolling-restart' | 'untouched';
  /** How it is done: "SIGHUP", "haproxy reload (-sf)", "varnishadm vcl.load + vcl.use". */
  how?: string;
  /** Why, in words: "its command line changed: -s malloc,128M -> -s malloc,256M". */
  why?: string[];
  /** What it costs: "varnish restart empties its malloc cache". */
  cost?: string;
}

/** What a part's runtime hook found: whether its programs run, and what apply would do to them. */
export interface RuntimeReport {
  running: boolean;
  changes: RuntimeChange[];
}

/** What the runtime hooks see: read-only during plan, acting only in `apply`. */
export interface RuntimeContext {
  readonly name: string;
  /** The part's options as this run resolves them. */
  readonly options: PartOptions;
  readonly paths: TreePaths;
  readonly log: RecipeLogger;
  /** The options the part was installed with (empty for a new part): compare old and new. */
  readonly previous: Readonly<Record<string, string>>;
  /** Runs a program, bounded (default 30 s), through the engine: `await ctx.exec([ctl, 'status'], { cwd })`. */
  exec(argv: string[], options: ExecOptions): Promise<ExecResult>;
  /**
   * What a generated file will hold once the change is installed, when the engine knows it (a file
   * a part declared with ctx.output); undefined: the file as it is on disk.
   */
  contentAfter?(file: string): Buffer | string | undefined;
  /**
   * The part this run reinstalls that made the file (a build part's binary, rebuilt at the same
   * path), whose new contents are known only once built; undefined when no such part.
   */
  rebuiltBy?(file: string): string | undefined;
}

/** A recipe; P is what its options phase works out for install and update (void: nothing). */
export interface Recipe<P = void> {
  /** The recipe's name as a config names it: `name: 'nginx'`. */
  name: string;
  /** Its version: a change reinstalls every part that uses it: `version: '1.2.0'`. */
  version: string;
  /**
   * A reinstall builds the new result beside the installed one and swaps at the end, so the
   * engine does not uninstall first: the installed part (its paths and its record) stays until
   * install succeeds, a failed reinstall leaves it working and recorded, and the paths it had
   * that the new install did not register again are removed after the swap. The recipe must
   * then keep every path in `ctx.previousPaths` usable until its own swap, and have no
   * `uninstall` step that a reinstall would need: `replacesInPlace: true`.
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
  /** Phase 1 (see OptionsContext); what it returns is `prepared` below: `options(ctx) { return { text }; }`. */
  options?(ctx: OptionsContext): P;
  /**
   * Phase 2; may return extra paths it made (besides those registered with `created`):
   * `async install(ctx, { text }) { await ctx.writeFile(file, text); }`.
   */
  install(ctx: InstallContext, prepared: P): Promise<void | string[]>;
  /** Phase 3, with this run's `prepared`: `async update(ctx, { file, text }) { if (edited(file)) ... }`. */
  update?(ctx: InstallContext, prepared: P): Promise<void | string[]>;
  /** Phase 4: `async uninstall(ctx) { ctx.log.info('removing the cron entry'); }`. */
  uninstall?(ctx: UninstallContext): Promise<void>;
  /**
   * Optional, read-only: what applying this run to the running programs would do (undefined:
   * nothing to say). Called by plan after the part plan is made, and by apply before install:
   * `async runtime(ctx, prepared) { return { running: false, changes: [] }; }`.
   */
  runtime?(ctx: RuntimeContext, prepared: P): Promise<RuntimeReport | undefined>;
  /**
   * Optional: after install, does what `report` (from `runtime`) said, and returns the lines done:
   * `async apply(ctx, prepared, report) { ...; return ['nginx: reloaded (SIGHUP)']; }`.
   */
  apply?(ctx: RuntimeContext, prepared: P, report: RuntimeReport): Promise<string[]>;
}

/**
 * A 64-bit hash of generated content, for noticing that it changed (as a derived option):
 * not for integrity, which downloads check with sha256: `ctx.set('content-hash', contentHash(text))`.
 */
export { contentHash } from './util/content-hash';

/**
 * Addresses: `splitAddress('[::1]:80')` -> `{ host: '::1', port: '80' }` (a bare port takes the
 * default host given), `parsePort('80')` -> 80 (undefined outside 1-65535), and
 * `formatAddress({ host: '::1', port: 80 })` -> `[::1]:80`.
 */
export { formatAddress, parsePort, splitAddress } from './util/address';

/** Gives a recipe object its type, P inferred from what `options` returns. */
export function defineRecipe<P = void>(recipe: Recipe<P>): Recipe<P> {
  return recipe;
}
