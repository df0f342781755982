/**
 * supervisor (alias collective.recipe.supervisor): the process manager of the deployment, on pm2.
 * It gathers the programs that service recipes declare (ctx.programs()) and the original's
 * `programs` lines, and writes into the tree: the runtime configuration
 * (parts/<name>/supervisor.json, mode 0600: it holds the panel password and the programs'
 * environments), a wrapper per program (parts/<name>/programs/), and bin/<name>d and
 * bin/<name>ctl (so a part named "supervisor" gives bin/supervisord and bin/supervisorctl).
 * pm2's state lives under a short per-deployment directory (pm2-home.ts).
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { defineRecipe, splitAddress, type OptionsContext, type ProgramSpec } from '../../src/recipe';
import { parseEnvironment, parseProgramLine, type LineProgram } from './program-lines';
import { checkHost, checkPort } from '../shared/checks';
import { launcherScript, wrapperScript } from './files';
import { explainConfig } from './explain';
import {
  checkReachable,
  DEFAULT_RESTART,
  FORMAT_VERSION,
  pm2App,
  processManagerPrograms,
  type ProgramEntry,
  type SupervisorFile,
} from '../../programs/process-manager/public';
import { applyRuntime, planOfRuntime } from './runtime-hooks';
import { agentOptions } from './agent-options';
import { pm2HomeOf } from './pm2-home';
import { throughLink } from './run-from';

/** What the options phase works out for install. */
interface Prepared {
  config: SupervisorFile;
  programs: ProgramEntry[];
  location: string;
  supervisord: string;
  supervisorctl: string;
  /** Every file install writes, path -> content and mode (declared with ctx.output). */
  files: Array<{ file: string; content: string; mode: number }>;
}

function bytes(ctx: OptionsContext, option: string, fallback: number): number {
  const text = ctx.options.get(option)?.trim();
  if (!text) return fallback;
  const m = /^(\d+)\s*(B|KB|MB|GB)?$/i.exec(text);
  if (!m)
    throw ctx.error(option, `${option} = ${text} is not a size`, 'write bytes or a size such as 512KB, 50MB or 1GB.');
  return Number(m[1]) * 1024 ** ['B', 'KB', 'MB', 'GB'].indexOf((m[2] ?? 'B').toUpperCase());
}

/** The panel address: `port` (bare or host:port), `host`, or the host of `serverurl`; never all interfaces. */
function panelAddress(ctx: OptionsContext): { host: string; port: number } {
  const port = ctx.options.get('port')?.trim() || '9001';
  const given = port.includes(':') ? splitAddress(port) : { host: undefined, port };
  const fromUrl = /^https?:\/\/([^/:]+)/.exec(ctx.options.get('serverurl') ?? '')?.[1];
  const host = ctx.options.get('host')?.trim() || given.host || fromUrl || '127.0.0.1';
  if (['0.0.0.0', '::', '*'].includes(host))
    throw ctx.error(
      'port',
      `the control panel may not listen on all interfaces (${host})`,
      'give the address it should bind, e.g. host = 127.0.0.1.',
    );
  const hostOption = ctx.options.has('host') ? 'host' : 'port';
  return { host: checkHost(ctx, hostOption, host), port: checkPort(ctx, 'port', given.port) };
}

function linePrograms(ctx: OptionsContext): LineProgram[] {
  const environment = parseEnvironment(ctx, 'environment');
  return ctx.options.lines('programs').map((line) => {
    const program = parseProgramLine(ctx, line, environment);
    // a system binary must exist now; one inside the tree may be made by a later part
    if (!program.command[0].startsWith(ctx.paths.directory + path.sep) && !ctx.stat(program.command[0])) {
      throw ctx.error(
        'programs',
        `program "${program.name}": command ${program.command[0]} does not exist`,
        'install it (apt-get install ...) or fix the path.',
      );
    }
    return program;
  });
}

function links(ctx: OptionsContext): Array<{ title: string; url: string }> {
  return ctx.options.lines('links').map((line) => {
    const m = /^(.*?)\s+(https?:\/\/\S+)$/.exec(line);
    if (!m)
      throw ctx.error(
        'links',
        `links line ${JSON.stringify(line)} is not "title url"`,
        'e.g. "HAProxy stats http://127.0.0.1:8222/"',
      );
    return { title: m[1], url: m[2] };
  });
}

/** The wrappers, pm2's ecosystem, supervisor.json and the two launchers, in the order install writes them. */
function renderFiles(
  ctx: OptionsContext,
  config: SupervisorFile,
  programs: ProgramEntry[],
  written: ProgramEntry[],
  bin: { supervisord: string; supervisorctl: string },
): Array<{ file: string; content: string; mode: number }> {
  const files = programs.map((p, i) => ({
    file: written[i].wrapper,
    content: wrapperScript(p, ctx.name),
    mode: 0o700,
  }));
  const apps = programs.map((p) => pm2App(p, config.runFrom ?? ctx.paths.directory));
  files.push({ file: config.ecosystem, content: `${JSON.stringify({ apps }, null, 2)}\n`, mode: 0o600 });
  const configFile = path.join(ctx.paths.part(ctx.name), 'supervisor.json');
  files.push({ file: configFile, content: `${JSON.stringify(config, null, 2)}\n`, mode: 0o600 });
  const runtime = processManagerPrograms(ctx.paths.zetaserver());
  const launcher = (entry: string): string => launcherScript(process.execPath, entry, configFile);
  files.push({ file: bin.supervisord, content: launcher(runtime.supervisord), mode: 0o755 });
  files.push({ file: bin.supervisorctl, content: launcher(runtime.supervisorctl), mode: 0o755 });
  return files;
}

export default defineRecipe({
  name: 'supervisor',
  version: '1.1.0',
  accepts: [
    'port',
    'host',
    'serverurl',
    'user',
    'password',
    'links',
    'programs',
    'environment',
    'env-path',
    'childlogdir',
    'logfile-maxbytes',
    'logfile-backups',
    'startretries',
    'monitor-interval',
    'monitor-samples',
    'agent-token',
    'node',
    'node-role',
    'peers',
    'tls-certificate',
    'tls-key',
    'peer-ca',
    // collective.recipe.supervisor's, accepted without effect: pm2 keeps its own daemon log and pid
    'logfile',
    'pidfile',
    'loglevel',
    'nodaemon',
    'nocleanup',
    'umask',
    'sections',
    'plugins',
    'run-from',
  ],
  options(ctx): Prepared {
    const location = ctx.paths.part(ctx.name);
    ctx.set('location', location);
    const all: ProgramSpec[] = [...ctx.programs(), ...linePrograms(ctx)];
    const seen = new Set<string>();
    for (const program of all) {
      if (seen.has(program.name))
        throw ctx.error(
          'programs',
          `two programs are named "${program.name}"`,
          'program names must be unique in a deployment.',
        );
      seen.add(program.name);
    }
    const panel = panelAddress(ctx);
    const user = ctx.options.get('user')?.trim();
    const password = ctx.options.get('password')?.trim();
    if (!user || !password)
      throw ctx.error(
        user ? 'password' : 'user',
        `part [${ctx.name}] needs "user" and "password" for its control panel`,
        'e.g. user = ${users:supervisor-admin} and password = ${passwords:supervisor-admin}.',
      );
    const directory = ctx.paths.directory;
    const agent = agentOptions(ctx, location, { ...panel, password });
    const logDir = path.resolve(directory, ctx.options.get('childlogdir')?.trim() || 'var/log');
    const written: ProgramEntry[] = all.map((p) => ({
      ...p,
      wrapper: path.join(location, 'programs', `${p.name}.sh`),
      outLog: path.join(logDir, `${p.name}.log`),
      errLog: path.join(logDir, (p as Partial<LineProgram>).redirectStderr ? `${p.name}.log` : `${p.name}.err.log`),
    }));
    const runFrom = ctx.options.get('run-from')?.trim() || undefined;
    if (runFrom && !path.isAbsolute(runFrom))
      throw ctx.error(
        'run-from',
        `run-from must be an absolute path, not "${runFrom}"`,
        'name a link to this tree, e.g. run-from = /srv/zetaserver/current.',
      );
    // what pm2 runs; the wrappers are still written into this tree
    const programs = runFrom ? written.map((p) => throughLink(p, directory, runFrom)) : written;
    const config: SupervisorFile = {
      version: FORMAT_VERSION,
      part: ctx.name,
      directory,
      ...(runFrom ? { runFrom } : {}),
      pm2Home: pm2HomeOf(directory, ctx.name),
      logDir,
      ecosystem: path.join(location, 'ecosystem.json'),
      stateDir: ctx.paths.variable(ctx.name),
      panel: { ...panel, user, password, ...(agent.tls ? { tls: agent.tls } : {}) },
      logs: {
        maxBytes: bytes(ctx, 'logfile-maxbytes', 50 * 1024 ** 2),
        backups: ctx.options.int('logfile-backups', 10, { min: 0, max: 100 }),
      },
      monitor: {
        intervalMs: ctx.options.int('monitor-interval', 5, { min: 1, max: 3600 }) * 1000,
        maxSamples: ctx.options.int('monitor-samples', 720, { min: 10, max: 1_000_000 }),
      },
      restart: { maxRetries: ctx.options.int('startretries', 5, { min: 0, max: 100 }), ...DEFAULT_RESTART },
      links: links(ctx),
      agent: {
        tokenFile: agent.tokenFile,
        node: agent.node,
        ...(agent.role ? { role: agent.role } : {}),
        peers: agent.peers,
        ...(agent.peerCa ? { peerCa: agent.peerCa } : {}),
      },
      programs,
    };
    const supervisord = path.join(ctx.paths.bin, `${ctx.name}d`);
    const supervisorctl = path.join(ctx.paths.bin, `${ctx.name}ctl`);
    ctx.set('config-sha256', createHash('sha256').update(JSON.stringify(config)).digest('hex'), {
      explain: explainConfig(config),
    });
    ctx.set('supervisord', supervisord);
    ctx.set('supervisorctl', supervisorctl);
    const files = renderFiles(ctx, config, programs, written, { supervisord, supervisorctl });
    files.push({ file: agent.tokenFile, content: `${agent.token}\n`, mode: 0o600 });
    for (const { file, content, mode } of files) ctx.output(file, content, { mode });
    return { config, programs, location, supervisord, supervisorctl, files };
  },
  async install(ctx, { location, files }) {
    await ctx.mkdir(location, 0o700);
    await ctx.mkdir(path.join(location, 'programs'), 0o700);
    for (const { file, content, mode } of files) await ctx.writeFile(file, content, { mode });
  },
  async runtime(ctx, { config }) {
    // before anything is installed: an unreachable process manager stops apply with the tree untouched
    await checkReachable(config);
    return planOfRuntime(ctx, config);
  },
  async apply(ctx, { config, supervisorctl }, report) {
    return applyRuntime(ctx, config, supervisorctl, report);
  },
});
