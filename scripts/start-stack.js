#!/usr/bin/env node
/**
 * `npm start` (after scripts/setup.js): assembles deployment.cfg in the repository, starts it
 * with its generated process manager (bin/supervisord) or, when it already runs, applies the
 * new assembly to it (bin/supervisorctl update), waits until the chain answers through nginx,
 * and prints where to look. Every address, user and path printed comes from the assembled
 * configuration (`bin/assemble query`); passwords are never printed, only where they are set.
 *
 *     node scripts/start-stack.js [--directory DIR] [-c FILE] [--trees DIR] [section:option=value ...]
 *     npm start -- ports:http=9000 ports:https=9443
 *
 * Run as root from a directory the service users cannot enter (a clone in root's home), the tree
 * is assembled in --trees DIR/<name> (/srv/zetaserver/<name>) instead (scripts/stack-tree.js).
 *
 * Exit status: 0 up, 1 the stack did not come up, 2 bad input (and assembly errors: 2).
 * Plain JavaScript: it runs right after the build, with nothing but node.
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { placeTree, ensureInstanceUser } = require('./stack-tree');

const ROOT = path.resolve(__dirname, '..');
const ASSEMBLE = path.join(ROOT, 'bin', 'assemble');
const USAGE = 'usage: node scripts/start-stack.js [--directory DIR] [-c FILE] [--trees DIR] [section:option=value ...]';
/** Where the tree goes when the service users cannot enter the deployment's directory. */
const TREES = '/srv/zetaserver';
const ANSWER_TIMEOUT_MS = 60_000;

function fail(status, message, hint) {
  process.stderr.write(`start-stack: ${message}\n${hint ? `  hint: ${hint}\n` : ''}`);
  process.exit(status);
}

function parseArguments(argv) {
  const options = { directory: ROOT, config: 'deployment.cfg', assignments: [], trees: TREES };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--directory' || arg === '-c' || arg === '--trees') {
      if (!argv[i + 1]) fail(2, `${arg} needs a value`, USAGE);
      options[{ '-c': 'config', '--directory': 'directory', '--trees': 'trees' }[arg]] = argv[++i];
    } else if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (/^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+[+-]?=/.test(arg)) {
      options.assignments.push(arg);
    } else {
      fail(2, `unknown argument ${JSON.stringify(arg)}`, `${USAGE}\n  e.g. npm start -- ports:http=9000`);
    }
  }
  options.directory = path.resolve(options.directory);
  options.trees = path.resolve(options.trees);
  if (!fs.existsSync(path.resolve(options.directory, options.config))) {
    fail(
      2,
      `no configuration ${path.resolve(options.directory, options.config)}`,
      'run it in a clone of the repository, or name one with --directory DIR and -c FILE.',
    );
  }
  return options;
}

/** Runs a command in the deployment directory, output shown; exits with its status on failure. */
function runShown(options, command, args) {
  const result = spawnSync(command, args, { cwd: options.directory, stdio: 'inherit' });
  if (result.status !== 0)
    fail(result.status === 2 ? 2 : 1, `${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

/** `bin/assemble query` for several values at once (each is a node start: run them together). */
/** The values of SECTION:OPTION keys; a key written "?SECTION:OPTION" may be missing (undefined). */
function query(options, keys) {
  return Promise.all(
    keys.map(
      (wanted) =>
        new Promise((resolve) => {
          const optional = wanted.startsWith('?');
          const key = optional ? wanted.slice(1) : wanted;
          const child = spawn(ASSEMBLE, ['-q', '-c', options.config, ...options.assignments, 'query', key], {
            cwd: options.directory,
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          let err = '';
          child.stdout.on('data', (d) => (out += d));
          child.stderr.on('data', (d) => (err += d));
          child.on('close', (status) => {
            if (status !== 0 && optional) return resolve(undefined);
            if (status !== 0) fail(2, `bin/assemble query ${key} failed:\n${err}`);
            resolve(out.replace(/\n$/, ''));
          });
        }),
    ),
  );
}

async function findParts(options) {
  const [partsList] = await query(options, ['buildout:parts']);
  const parts = partsList.split(/\s+/).filter(Boolean);
  const recipes = await query(
    options,
    parts.map((p) => `${p}:recipe`),
  );
  const of = (...names) => parts.find((p, i) => names.includes(recipes[i].trim()));
  const found = {
    nginx: of('nginx'),
    haproxy: of('haproxy'),
    supervisor: of('supervisor', 'collective.recipe.supervisor'),
  };
  if (!found.supervisor)
    fail(
      2,
      `${options.config} has no process manager part (recipe = supervisor)`,
      'add the [supervisor] part, as deployment.cfg in the repository has it.',
    );
  if (!found.nginx) fail(2, `${options.config} has no nginx part: there is no front to wait for`);
  return found;
}

/**
 * Where a secret option is set, without its value: `annotate SECTION` lists each value's
 * history (file:line); a value that is one ${section:option} reference is followed to it.
 */
function whereSet(options, section, option, depth = 0) {
  const result = spawnSync(ASSEMBLE, ['-q', '-c', options.config, ...options.assignments, 'annotate', section], {
    cwd: options.directory,
    encoding: 'utf8',
  });
  const lines = result.status === 0 ? result.stdout.split('\n') : [];
  const at = lines.findIndex((l) => l.startsWith(`${option} =`));
  if (at < 0) return `set as ${option} in [${section}] of ${options.config}`;
  const history = [];
  for (const line of lines.slice(at + 1)) {
    if (!/^\s/.test(line)) break;
    history.push(line.trim());
  }
  const raw = history.map((l) => /^raw: \$\{([^:}]+):([^}]+)\}$/.exec(l)).find(Boolean);
  if (raw && depth < 5) return whereSet(options, raw[1], raw[2], depth + 1);
  const last = history.filter((l) => /^(set|overridden|appended|removed|copied)\s/.test(l)).pop();
  const place = last ? last.split(/\s+/).pop() : options.config;
  return `set as ${option} in [${section}] at ${place}`;
}

function get(url, host) {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: 2000, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    request.on('error', () => resolve(0));
    request.on('timeout', () => {
      request.destroy();
      resolve(0);
    });
  });
}

async function waitForChain(url, host) {
  const started = Date.now();
  let status = 0;
  while (Date.now() - started < ANSWER_TIMEOUT_MS) {
    status = await get(url, host);
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  fail(
    1,
    `${url} did not answer 200 within ${ANSWER_TIMEOUT_MS / 1000} s (last: ${status || 'no answer'})`,
    'bin/supervisorctl status shows which program is not running; bin/supervisorctl tail NAME shows its log.',
  );
}

function supervisorRunning(ctl, options) {
  const status = spawnSync(ctl, ['status', '--json'], { cwd: options.directory, encoding: 'utf8' });
  if (status.status !== 0) return false;
  try {
    return JSON.parse(status.stdout).supervisord === true;
  } catch {
    return false;
  }
}

const urlOf = (scheme, address, urlPath = '/') => `${scheme}://${address}${urlPath}`;
const withHost = (address, host) => `${host}:${address.slice(address.lastIndexOf(':') + 1)}`;

/** `[users] zope-process`, if the configuration has it (words; [] otherwise). */
function instanceUsers(options) {
  const result = spawnSync(
    ASSEMBLE,
    ['-q', '-c', options.config, ...options.assignments, 'query', 'users:zope-process'],
    { cwd: options.directory, encoding: 'utf8' },
  );
  return result.status === 0 ? result.stdout.split(/\s+/).filter(Boolean) : [];
}

const say = (message) => process.stderr.write(`start-stack: ${message}\n`);

async function main() {
  const options = placeTree(parseArguments(process.argv.slice(2)), fail, say);
  const began = Date.now();
  ensureInstanceUser(instanceUsers(options), say);
  runShown(options, ASSEMBLE, ['-c', options.config, ...options.assignments]);
  const parts = await findParts(options);
  const [supervisord, supervisorctl, panelHost, panelPort, panelUser, logDir, http_, https, serverName, statusUrl] =
    await query(options, [
      `${parts.supervisor}:supervisord`,
      `${parts.supervisor}:supervisorctl`,
      `${parts.supervisor}:host`,
      `${parts.supervisor}:port`,
      `${parts.supervisor}:user`,
      `${parts.supervisor}:childlogdir`,
      `${parts.nginx}:address`,
      `${parts.nginx}:https-address`,
      `${parts.nginx}:server-name`,
      `${parts.nginx}:status-url`,
    ]);
  const [certificate] = https ? await query(options, [`${parts.nginx}:certificate-file`]) : [];
  // front-door = on: bin/porter routes the other domains (the demo site) and parks the rest
  const [porter, demoSite] = await query(options, [`?${parts.nginx}:script`, '?hosts:demo-site']);
  const [statsAddress, statsUser] = parts.haproxy
    ? await query(options, [`${parts.haproxy}:stats-address`, `${parts.haproxy}:stats-user`])
    : [];
  let how;
  if (supervisorRunning(supervisorctl, options)) {
    process.stderr.write(
      'start-stack: the stack is running already: applying this assembly to it (bin/supervisorctl update)\n',
    );
    runShown(options, supervisorctl, ['update']);
    how = 'it was running already and is updated';
  } else {
    runShown(options, supervisord, []);
    how = 'started';
  }
  const front = urlOf('http', http_);
  await waitForChain(front, serverName);
  // bin/... when run from the deployment's directory (npm start), else the full path
  const relative = (file) => (file.startsWith(process.cwd() + path.sep) ? path.relative(process.cwd(), file) : file);
  const port = panelPort.includes(':') ? panelPort.slice(panelPort.lastIndexOf(':') + 1) : panelPort;
  const lines = [
    '',
    `The stack is up (${how}); it answers through nginx, ${((Date.now() - began) / 1000).toFixed(1)} s after ` +
      `this command began.`,
    '',
    `  site            ${urlOf('http', withHost(http_, serverName))}`,
    https
      ? `                  ${urlOf('https', withHost(https, serverName))}  (certificate: ${certificate})`
      : undefined,
    `  control panel   ${urlOf('http', `${panelHost}:${port}`)}  user ${panelUser}, password: ` +
      `${whereSet(options, parts.supervisor, 'password')}`,
    statsAddress
      ? `  HAProxy stats   ${urlOf('http', statsAddress)}  user ${statsUser}, password: ` +
        `${whereSet(options, parts.haproxy, 'stats-password')}`
      : undefined,
    `  nginx status    ${urlOf('http', http_, statusUrl)}  (from this machine only)`,
    porter && demoSite
      ? `  demo site       curl -H 'Host: ${demoSite}' ${urlOf('http', http_)}  (any other Host: the parked page)`
      : undefined,
    porter ? `  front door      ${relative(porter)} list  (routes, maintenance: docs/porter.md)` : undefined,
    options.relocatedFrom
      ? `  tree            ${options.directory}  (${options.relocatedFrom} cannot be entered by the service users)`
      : undefined,
    `  logs            ${logDir}`,
    `  status          ${relative(supervisorctl)} status`,
    `  stop            ${relative(supervisorctl)} shutdown`,
    '',
  ];
  process.stdout.write(lines.filter((l) => l !== undefined).join('\n') + '\n');
  return 0;
}

main().then(
  (status) => process.exit(status),
  (error) => fail(1, error.stack || String(error)),
);
