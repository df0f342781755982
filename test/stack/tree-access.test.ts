/**
 * A tree the service users cannot reach: the example copied under a 0700 directory (as a clone in
 * root's home is on Debian). bin/assemble refuses it at assembly, with exit 2 and one message
 * naming the directory, its owner and mode, the users and the fix, before it writes anything;
 * an ACL that lets the users through satisfies it; a page directory outside the tree is checked
 * too. `npm start` (scripts/start-stack.js) from such a clone assembles the tree in a reachable
 * place instead and ends with a running stack.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT, tempDir } from '../helpers/paths';
import { freePorts, isListening } from '../helpers/ports';
import { assembleAsync } from '../helpers/run';
import { exampleDeployment, PORT_KEYS, type ExampleDeployment, type Ports } from '../helpers/example-deployment';
import { SupervisedExample } from '../helpers/supervised-example';
import { exampleUser } from '../helpers/service-users';
import { request } from '../helpers/http-probe';

let base: { dir: string; cleanup: () => void };
let home: string;
let clone: string;
let ports: Ports;
let overrides: string[];

before(async () => {
  base = tempDir('zeta-tree-access-');
  chmodSync(base.dir, 0o755);
  home = path.join(base.dir, 'home');
  mkdirSync(home, { mode: 0o700 });
  chmodSync(home, 0o700);
  clone = path.join(home, 'clone');
  mkdirSync(clone, { mode: 0o755 });
  for (const entry of ['deployment.cfg', 'versions.cfg', 'buildout.d', 'app'])
    cpSync(path.join(ROOT, entry), path.join(clone, entry), { recursive: true });
  const numbers = await freePorts(PORT_KEYS.length);
  ports = Object.fromEntries(PORT_KEYS.map((key, i) => [key, numbers[i]])) as Ports;
  overrides = PORT_KEYS.map((key) => `ports:${key}=${ports[key]}`);
});

after(() => base?.cleanup());

const users = () =>
  ['mysql', 'memcached', 'haproxy', 'varnish', 'nginx', 'zope-process'].map(
    (key) => exampleUser(clone, 'deployment.cfg', key, overrides).name,
  );

test(
  'a tree under a 0700 directory is refused at assembly: exit 2, one message with the directory, owner, ' +
    'mode, users and fix, nothing written',
  async () => {
    const result = await assembleAsync(['-c', 'deployment.cfg', ...overrides], { cwd: clone, timeoutMs: 120_000 });
    assert.equal(result.status, 2, result.stdout + result.stderr);
    assert.equal((result.stderr.match(/^error\[/gm) ?? []).length, 1, `one message:\n${result.stderr}`);
    const message = new RegExp(
      `^error\\[PATH_UNREACHABLE\\]: ${home.replace(/[/.-]/g, '\\$&')} \\(owner root, group root, mode 0700\\) ` +
        `cannot be entered by the users? ([^\\n]+), which the programs run as$`,
      'm',
    );
    assert.match(result.stderr, message);
    const named = message.exec(result.stderr)![1].split(', ');
    assert.deepEqual([...new Set(users())].sort(), [...named].sort(), 'every service user is named');
    assert.match(
      result.stderr,
      new RegExp(
        `^ {2}${exampleUser(clone, 'deployment.cfg', 'mysql', overrides).name}: mysql must read ` +
          `${clone}/etc/mysql\\.cnf$`,
        'm',
      ),
    );
    assert.match(
      result.stderr,
      new RegExp(
        `^ {2}${exampleUser(clone, 'deployment.cfg', 'nginx', overrides).name}: nginx's workers must read ` +
          `${clone}/htdocs$`,
        'm',
      ),
    );
    assert.match(
      result.stderr,
      /hint: .*Put the tree where they can enter \(git clone or copy it to \/srv\/clone and assemble there\), or let them through: setfacl -m u:[^ ]+:x[^ ]* .* \(these users only; Debian package acl\), or chmod o\+x .* \(every user\)\./,
    );
    assert.deepEqual(
      readdirSync(clone).sort(),
      ['app', 'buildout.d', 'deployment.cfg', 'versions.cfg'],
      'nothing was written',
    );
  },
);

test(
  'an ACL that lets the service users through is enough',
  { skip: !existsSync('/usr/bin/setfacl') && 'setfacl is not installed (Debian package acl)' },
  async () => {
    const acl = [...new Set(users())].map((u) => `u:${u}:x`).join(',');
    assert.equal(spawnSync('setfacl', ['-m', acl, home]).status, 0);
    try {
      const result = await assembleAsync(['-c', 'deployment.cfg', ...overrides, 'plan'], {
        cwd: clone,
        timeoutMs: 120_000,
      });
      assert.equal(result.status, 0, result.stderr);
    } finally {
      spawnSync('setfacl', ['-b', home]);
      chmodSync(home, 0o700);
    }
  },
);

/** The error for a 0700 root directory of pages that nginx's workers (`worker`) must read. */
function workersCannotRead(pages: string, worker: string): RegExp {
  const quoted = pages.replace(/[/.-]/g, '\\$&');
  return new RegExp(
    `^error\\[PATH_UNREACHABLE\\]: ${quoted} \\(owner root, group root, mode 0700\\) cannot be entered by ` +
      `the user ${worker}, which the programs run as\\n {2}${worker}: nginx's workers must read ${quoted}$`,
    'm',
  );
}

test("pages outside the tree are checked all the way: a 0700 htdocs stops nginx's workers", async () => {
  const stack: ExampleDeployment = await exampleDeployment('zeta-tree-pages-');
  const pages = path.join(base.dir, 'pages');
  mkdirSync(pages, { mode: 0o700 });
  chmodSync(pages, 0o700);
  try {
    const result = await stack.assemble(`nginx:htdocs=${pages}`, 'plan');
    assert.equal(result.status, 2, result.stderr);
    const worker = exampleUser(stack.dir, stack.config, 'nginx', stack.overrides).name;
    assert.match(result.stderr, workersCannotRead(pages, worker));
    chmodSync(pages, 0o711);
    assert.equal(
      (await stack.assemble(`nginx:htdocs=${pages}`, 'plan')).status,
      0,
      "passable is enough: the pages inside are nginx's to read",
    );
  } finally {
    stack.cleanup();
  }
});

test("the front door's error pages outside the tree are checked too: a 0700 error-pages stops nginx's workers", async () => {
  const stack: ExampleDeployment = await exampleDeployment('zeta-tree-door-pages-');
  const pages = path.join(base.dir, 'door-pages');
  mkdirSync(path.join(pages, 'sites', 'demo.localhost'), { recursive: true, mode: 0o755 });
  for (const file of ['parked.html', '502.html', '503.html', '504.html'])
    writeFileSync(path.join(pages, file), `<p>${file}</p>\n`);
  writeFileSync(path.join(pages, 'sites', 'demo.localhost', 'maintenance.html'), '<p>back soon</p>\n');
  chmodSync(pages, 0o700);
  try {
    const result = await stack.assemble(`nginx:error-pages=${pages}`, 'plan');
    assert.equal(result.status, 2, result.stderr);
    const worker = exampleUser(stack.dir, stack.config, 'nginx', stack.overrides).name;
    assert.match(result.stderr, workersCannotRead(pages, worker));
    chmodSync(pages, 0o711);
    const passable = await stack.assemble(`nginx:error-pages=${pages}`, 'plan');
    assert.equal(passable.status, 0, passable.stderr);
  } finally {
    chmodSync(pages, 0o755);
    stack.cleanup();
  }
});

function startStack(
  args: string[],
  timeoutMs = 240_000,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start-stack.js'), ...args], {
      cwd: clone,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

test(
  'npm start from that clone assembles the tree in a reachable place and ends with a running stack',
  { timeout: 400_000 },
  async () => {
    const trees = path.join(base.dir, 'trees');
    const tree = path.join(trees, 'clone');
    let example: SupervisedExample | undefined;
    try {
      const first = await startStack(['--directory', clone, '--trees', trees, ...overrides]);
      if (existsSync(path.join(tree, 'parts', 'supervisor', 'supervisor.json'))) {
        example = SupervisedExample.adopt({
          dir: tree,
          ports,
          config: 'deployment.cfg',
          overrides,
          assemble: () => Promise.reject(new Error('not used')),
          cleanup: () => undefined,
        });
      }
      assert.equal(first.status, 0, `${first.stdout}\n${first.stderr}`);
      assert.match(
        first.stderr,
        new RegExp(
          `start-stack: the service users cannot enter ${home.replace(/[/.-]/g, '\\$&')} \\(owner root, mode ` +
            `0700\\): the tree is assembled in ${tree.replace(/[/.-]/g, '\\$&')}`,
        ),
      );
      assert.match(first.stdout, /The stack is up \(started\)/);
      assert.match(
        first.stdout,
        new RegExp(
          `^ {2}tree {12}${tree.replace(/[/.-]/g, '\\$&')} {2}\\(${clone.replace(/[/.-]/g, '\\$&')} cannot be ` +
            `entered by the service users\\)$`,
          'm',
        ),
      );
      assert.match(
        first.stdout,
        new RegExp(`^ {2}stop {12}${tree.replace(/[/.-]/g, '\\$&')}/bin/supervisorctl shutdown$`, 'm'),
      );
      const config = readFileSync(path.join(tree, 'deployment.cfg'), 'utf8');
      assert.match(
        config,
        new RegExp(`^extends = ${clone.replace(/[/.-]/g, '\\$&')}/deployment\\.cfg$`, 'm'),
        'the clone stays the file to edit',
      );
      assert.deepEqual(
        readdirSync(clone).sort(),
        ['app', 'buildout.d', 'deployment.cfg', 'versions.cfg'],
        'nothing written in the clone',
      );
      assert.equal(
        spawnSync('stat', ['-c', '%a', home], { encoding: 'utf8' }).stdout.trim(),
        '700',
        'no permission outside the tree changed',
      );
      // the instances serve the application's copy in the tree, as their own user
      const wsgi = readFileSync(path.join(tree, 'parts', 'instance1', 'etc', 'wsgi.ini'), 'utf8');
      assert.match(
        wsgi,
        new RegExp(
          `^wsgi_app = ${tree.replace(/[/.-]/g, '\\$&')}/parts/instance1/wsgi-app/stack_app\\.py:application$`,
          'm',
        ),
      );
      const db = await request(`http://127.0.0.1:${ports.http}/db`, { headers: { host: 'localhost' } });
      assert.equal(db.status, 200, db.body);
      const programs = await example!.status();
      const instance = programs.find((p) => p.name === 'instance1')!;
      assert.equal(
        spawnSync('ps', ['-o', 'user=', '-p', String(instance.pid)], { encoding: 'utf8' }).stdout.trim(),
        exampleUser(tree, 'deployment.cfg', 'zope-process', overrides).name,
      );

      const second = await startStack(['--directory', clone, '--trees', trees, ...overrides]);
      assert.equal(second.status, 0, `${second.stdout}\n${second.stderr}`);
      assert.match(second.stdout, /The stack is up \(it was running already and is updated\)/);
      assert.deepEqual(
        (await example!.status()).map((p) => p.pid),
        programs.map((p) => p.pid),
        'no program restarted',
      );
      const stopped = await example!.ctl('shutdown');
      assert.equal(stopped.status, 0, stopped.stderr);
      for (const port of Object.values(ports))
        assert.equal(await isListening(port), false, `port ${port} still listens`);
    } finally {
      await example?.teardown();
    }
  },
);
