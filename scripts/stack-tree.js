/**
 * Where `npm start` assembles the example, and the one system user it adds. Used by
 * scripts/start-stack.js when run as root (the process manager then starts every daemon as its
 * own user).
 *
 * - The tree: the deployment's directory, unless a service user could not enter it (a clone in
 *   root's home, 0700 on Debian). Then the tree is assembled in TREES/<name> instead, from a
 *   two-line deployment.cfg that extends the clone's (so the clone stays the one to edit) and
 *   names it as [paths] repository (the application is copied into the tree from there). No
 *   permission outside the tree is changed. bin/assemble itself, run in such a clone, refuses
 *   with PATH_UNREACHABLE instead: only this convenience script moves the tree.
 * - The user: the example runs its instances as `zope` (deployment.cfg [users] zope-process, the
 *   first name); no Debian package creates it, so it is created here as a system user, as a
 *   package's postinst would.
 *
 * Plain JavaScript, like start-stack.js.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const MARK = '# Written by npm start (scripts/start-stack.js) for ';

/** The first directory on the way to `dir` (itself included) that users other than its owner cannot enter. */
function closedDirectory(dir) {
  const chain = [];
  for (let d = dir; ; d = path.dirname(d)) {
    chain.unshift(d);
    if (d === path.dirname(d)) break;
  }
  for (const d of chain) {
    const stat = fs.statSync(d);
    if ((stat.mode & 0o001) === 0) return { dir: d, stat };
  }
  return undefined;
}

function describe(found) {
  const owner = spawnSync('id', ['-nu', String(found.stat.uid)], { encoding: 'utf8' }).stdout.trim() || found.stat.uid;
  return `${found.dir} (owner ${owner}, mode ${(found.stat.mode & 0o7777).toString(8).padStart(4, '0')})`;
}

/**
 * The directory and config to assemble: `options` unchanged when the service users can reach
 * it, else the tree in `trees` with its generated deployment.cfg. `fail(status, message, hint)` exits.
 */
function placeTree(options, fail, say) {
  const closed = process.getuid() === 0 ? closedDirectory(options.directory) : undefined;
  if (!closed) return options;
  const source = path.join(options.directory, options.config);
  const tree = path.join(options.trees, path.basename(options.directory));
  const config = path.join(tree, 'deployment.cfg');
  const text = [
    `${MARK}${source}`,
    `# The service users cannot enter ${describe(closed)}, so the tree is assembled here.`,
    '# Edit that file, not this one: npm start writes this one again.',
    '[buildout]',
    `extends = ${source}`,
    '',
    '[paths]',
    `repository = ${options.directory}`,
    '',
  ].join('\n');
  if (fs.existsSync(config) && !fs.readFileSync(config, 'utf8').startsWith(`${MARK}${source}\n`)) {
    fail(
      2,
      `${tree} holds another deployment (its deployment.cfg was not written for ${source})`,
      `name another place for the tree: npm start -- --trees DIR`,
    );
  }
  for (const dir of [options.trees, tree]) {
    if (!fs.existsSync(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      fs.chmodSync(dir, 0o755);
    }
  }
  if (!fs.existsSync(config) || fs.readFileSync(config, 'utf8') !== text)
    fs.writeFileSync(config, text, { mode: 0o644 });
  say(
    `the service users cannot enter ${describe(closed)}: the tree is assembled in ${tree} (its deployment.cfg ` +
      `extends ${source}, the file to edit)`,
  );
  return { ...options, directory: tree, config: 'deployment.cfg', relocatedFrom: options.directory };
}

/** As root: creates the first user [users] zope-process names when the machine has none of that name. */
function ensureInstanceUser(names, say) {
  const [name] = names;
  if (process.getuid() !== 0 || !name || name === 'nobody') return;
  if (spawnSync('id', ['-u', name], { stdio: 'ignore' }).status === 0) return;
  const made = spawnSync(
    'useradd',
    [
      '--system',
      '--user-group',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      '--comment',
      'Zope instances (Zetaserver)',
      name,
    ],
    { encoding: 'utf8' },
  );
  if (made.status === 0) say(`created the system user ${name} for the instances (useradd --system)`);
  else
    say(
      `could not create the system user ${name} (${(made.stderr || '').trim() || `exit ${made.status}`}); the ` +
        `instances run as ${names[1] ?? 'the next user of [users] zope-process'}`,
    );
}

module.exports = { placeTree, ensureInstanceUser, closedDirectory };
