/**
 * `nodeset assemble NODE`: the checkout's nodeset.cfg (the example deployment on three app
 * servers, a balancer and a database node) assembled node by node into temporary directories,
 * with the ports moved to free ones. No daemon runs: the trees are read. Each tree holds only its
 * node's parts and programs, every service binds the node's address, the balancer's haproxy has
 * a server per app node and instance, the instances use the service node's database and
 * memcached, MariaDB grants every app node, and every tree has the same hosts file. A fourth app
 * server is one more address on one line.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../helpers/paths';
import { exampleDeployment, type ExampleDeployment } from '../helpers/example-deployment';

const APPS = { app1: '10.231.0.11', app2: '10.231.0.12', app3: '10.231.0.13' };
const BALANCER = '10.231.0.20';
const DB = '10.231.0.30';
const INSTANCES = ['instance1', 'instance2', 'instance3', 'instance4'] as const;
const NODES = [...Object.keys(APPS), 'balancer', 'db'];

async function nodesetCheckout(): Promise<ExampleDeployment> {
  const d = await exampleDeployment('zeta-nodeset-', 'nodeset.cfg');
  cpSync(path.join(ROOT, 'nodeset.cfg'), path.join(d.dir, 'nodeset.cfg'));
  return d;
}

/** Every node of the checkout's nodeset, assembled once into `<dir>/trees/<node>`. */
let built: Promise<ExampleDeployment> | undefined;
function trees(): Promise<ExampleDeployment> {
  built ??= (async () => {
    const d = await nodesetCheckout();
    for (const node of NODES) {
      const run = await d.assemble('nodeset', 'assemble', node, '--target', path.join(d.dir, 'trees', node));
      assert.equal(run.status, 0, `${node}: ${run.stderr}`);
    }
    return d;
  })();
  return built;
}

function read(d: ExampleDeployment, node: string, file: string): string {
  return readFileSync(path.join(d.dir, 'trees', node, file), 'utf8');
}

function programs(d: ExampleDeployment, node: string): string[] {
  const manifest = JSON.parse(read(d, node, 'parts/supervisor/supervisor.json')) as { programs: { name: string }[] };
  return manifest.programs.map((p) => p.name).sort();
}

/** Every generated configuration file of a tree (etc/ and the parts' etc/). */
function generated(d: ExampleDeployment, node: string): string[] {
  const tree = path.join(d.dir, 'trees', node);
  const files = readdirSync(path.join(tree, 'etc')).map((f) => path.join(tree, 'etc', f));
  for (const part of existsSync(path.join(tree, 'parts')) ? readdirSync(path.join(tree, 'parts')) : []) {
    const etc = path.join(tree, 'parts', part, 'etc');
    if (existsSync(etc)) files.push(...readdirSync(etc).map((f) => path.join(etc, f)));
  }
  return files;
}

test.after(() => built?.then((d) => d.cleanup()));

test('each node runs only its parts: its programs in its supervisor.json, the others absent', async () => {
  const d = await trees();
  for (const app of Object.keys(APPS)) assert.deepEqual(programs(d, app), [...INSTANCES]);
  assert.deepEqual(programs(d, 'balancer'), ['haproxy', 'nginx', 'varnish']);
  assert.deepEqual(programs(d, 'db'), ['memcached', 'mysql']);
  assert.ok(existsSync(path.join(d.dir, 'trees', 'app2', 'bin', 'instance3')));
  assert.equal(existsSync(path.join(d.dir, 'trees', 'app2', 'etc', 'haproxy.conf')), false);
  assert.equal(existsSync(path.join(d.dir, 'trees', 'balancer', 'bin', 'instance1')), false);
  assert.equal(existsSync(path.join(d.dir, 'trees', 'db', 'etc', 'nginx.conf')), false);
});

test("every service binds its node's address, never all interfaces", async () => {
  const d = await trees();
  const { ports } = d;
  for (const [app, address] of Object.entries(APPS)) {
    INSTANCES.forEach((instance) => {
      const wsgi = read(d, app, `parts/${instance}/etc/wsgi.ini`);
      assert.match(wsgi, new RegExp(`^listen = ${address.replace(/\./g, '\\.')}:${ports[instance]}$`, 'm'));
    });
    const panel = JSON.parse(read(d, app, 'parts/supervisor/supervisor.json')).panel;
    assert.equal(panel.host, address);
  }
  const haproxy = read(d, 'balancer', 'etc/haproxy.conf');
  assert.match(haproxy, new RegExp(`^\\s*bind ${BALANCER}:${ports.haproxy}$`, 'm'));
  const nginx = read(d, 'balancer', 'etc/nginx.conf');
  assert.match(nginx, new RegExp(`listen ${BALANCER}:${ports.http};`));
  assert.match(nginx, new RegExp(`listen ${BALANCER}:${ports.https} ssl`));
  assert.match(read(d, 'db', 'etc/mysql.cnf'), new RegExp(`^bind-address\\s*= ${DB}$`, 'm'));
  const memcached = read(d, 'db', 'parts/supervisor/supervisor.json');
  assert.match(memcached, new RegExp(`"-l",\\s*"${DB}"`));
  for (const node of NODES)
    for (const file of generated(d, node))
      assert.doesNotMatch(readFileSync(file, 'utf8'), /0\.0\.0\.0|\[::\]:/, `${node}: ${file}`);
});

test("the balancer's haproxy has every app node's instances; the instances use the service node", async () => {
  const d = await trees();
  const servers = [...read(d, 'balancer', 'etc/haproxy.conf').matchAll(/^\s*server (\S+) (\S+) check/gm)].map(
    ([, name, address]) => `${name} ${address}`,
  );
  const expected = INSTANCES.flatMap((instance) =>
    Object.entries(APPS).map(([app, address]) => `${app}-${instance} ${address}:${d.ports[instance]}`),
  );
  assert.deepEqual(servers.sort(), expected.sort());
  for (const app of Object.keys(APPS)) {
    const zope = read(d, app, 'parts/instance1/etc/zope.conf');
    assert.match(zope, new RegExp(`cache-servers ${DB}:${d.ports.memcached}`));
    assert.match(zope, new RegExp(`^\\s*host ${DB}$`, 'm'));
    assert.match(zope, new RegExp(`^\\s*port ${d.ports.database}$`, 'm'));
  }
});

test("MariaDB grants the database account to every app node's address, in a file only mysql reads", async () => {
  const d = await trees();
  const init = read(d, 'db', 'etc/mysql-init.sql');
  for (const address of Object.values(APPS))
    assert.match(init, new RegExp(`GRANT ALL PRIVILEGES ON \`zodb\`\\.\\* TO 'zope'@'${address}';`));
  assert.doesNotMatch(init, new RegExp(`'zope'@'${BALANCER}'`));
  const { statSync } = await import('node:fs');
  assert.equal(statSync(path.join(d.dir, 'trees', 'db', 'etc', 'mysql-init.sql')).mode & 0o777, 0o600);
});

test('every tree holds the same etc/hosts.nodeset naming every node', async () => {
  const d = await trees();
  const hosts = read(d, 'app1', 'etc/hosts.nodeset');
  for (const node of NODES) assert.equal(read(d, node, 'etc/hosts.nodeset'), hosts, node);
  const lines = hosts.split('\n').filter((line) => line && !line.startsWith('#'));
  assert.deepEqual(lines, [
    `${APPS.app1}\tapp1.zeta.test app1`,
    `${APPS.app2}\tapp2.zeta.test app2`,
    `${APPS.app3}\tapp3.zeta.test app3`,
    `${BALANCER}\tbalancer.zeta.test balancer example.com www.example.com`,
    `${DB}\tdb.zeta.test db`,
  ]);
});

test('annotate NODE shows the configuration as that node sees it, its own values as command-line assignments', async () => {
  const d = await nodesetCheckout();
  try {
    const app2 = await d.assemble('nodeset', 'annotate', 'app2', 'hosts');
    assert.equal(app2.status, 0, app2.stderr);
    assert.match(
      app2.stdout,
      /^instance1 = 10\.231\.0\.12\n(?:.*\n)*?\s+overridden\s+command line \(hosts:instance1=10\.231\.0\.12\)/m,
    );
    assert.match(app2.stdout, /^database = 10\.231\.0\.30$/m);
    const json = await d.assemble('nodeset', 'annotate', 'balancer', '--json', 'hosts');
    assert.equal(json.status, 0, json.stderr);
    const hosts = JSON.parse(json.stdout).sections.hosts;
    assert.equal(hosts.haproxy, BALANCER);
    assert.equal(hosts.nginx, BALANCER);
    // the balancer's tree reads the instances' hosts only through haproxy's backends: the first app node's
    assert.equal(hosts.instance1, APPS.app1);
    const typo = await d.assemble('nodeset', 'annotate', 'app4');
    assert.equal(typo.status, 2);
    assert.match(
      typo.stderr,
      /error\[NODESET_UNKNOWN_NODE\]: the nodeset has no node "app4" \(did you mean "app1"\?\)/,
    );
  } finally {
    d.cleanup();
  }
});

test('a fourth application server is one more address on one line: it gets a tree and a server in haproxy', async () => {
  const d = await nodesetCheckout();
  try {
    const file = path.join(d.dir, 'nodeset.cfg');
    const text = readFileSync(file, 'utf8');
    const line = /^addresses = 10\.231\.0\.11 10\.231\.0\.12 10\.231\.0\.13$/m;
    assert.match(text, line);
    writeFileSync(file, text.replace(line, 'addresses = 10.231.0.11 10.231.0.12 10.231.0.13 10.231.0.14'));
    const list = await d.assemble('nodeset', 'list', '--json');
    assert.equal(list.status, 0, list.stderr);
    const nodes = (JSON.parse(list.stdout) as { nodes: { name: string; address: string }[] }).nodes;
    assert.deepEqual(
      nodes.map((n) => `${n.name} ${n.address}`),
      [
        'app1.zeta.test 10.231.0.11',
        'app2.zeta.test 10.231.0.12',
        'app3.zeta.test 10.231.0.13',
        'app4.zeta.test 10.231.0.14',
        `balancer.zeta.test ${BALANCER}`,
        `db.zeta.test ${DB}`,
      ],
    );
    for (const node of ['balancer', 'app4', 'db']) {
      const run = await d.assemble('nodeset', 'assemble', node, '--target', path.join(d.dir, 'trees', node));
      assert.equal(run.status, 0, `${node}: ${run.stderr}`);
    }
    const haproxy = read(d, 'balancer', 'etc/haproxy.conf');
    for (const instance of INSTANCES)
      assert.match(
        haproxy,
        new RegExp(`^\\s*server app4-${instance} 10\\.231\\.0\\.14:${d.ports[instance]} check`, 'm'),
      );
    assert.match(
      read(d, 'app4', 'parts/instance2/etc/wsgi.ini'),
      new RegExp(`^listen = 10\\.231\\.0\\.14:${d.ports.instance2}$`, 'm'),
    );
    assert.match(read(d, 'db', 'etc/mysql-init.sql'), /TO 'zope'@'10\.231\.0\.14';/);
    assert.match(
      read(d, 'app1', 'etc/hosts.nodeset').concat(read(d, 'db', 'etc/hosts.nodeset')),
      /10\.231\.0\.14\tapp4\.zeta\.test app4/,
    );
  } finally {
    d.cleanup();
  }
});

test('list and ssh-config describe the nodes', async () => {
  const d = await nodesetCheckout();
  try {
    const list = await d.assemble('nodeset', 'list');
    assert.equal(list.status, 0, list.stderr);
    assert.match(
      list.stdout,
      /^app3\.zeta\.test\s+app3\s+appserver\s+appserver\s+10\.231\.0\.13\s+instance1 instance2 instance3 instance4$/m,
    );
    assert.match(list.stdout, /^db\.zeta\.test\s+db\s+service-mysql\s+service\s+10\.231\.0\.30\s+mysql memcached$/m);
    const ssh = await d.assemble('nodeset', 'ssh-config');
    assert.equal(ssh.status, 0, ssh.stderr);
    assert.match(ssh.stdout, /^Host balancer balancer\.zeta\.test\n    HostName 10\.231\.0\.20\n    User root$/m);
    assert.equal([...ssh.stdout.matchAll(/^Host /gm)].length, NODES.length);
  } finally {
    d.cleanup();
  }
});
