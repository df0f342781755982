/**
 * Node trees of the checkout's nodeset on a copy of the checkout with every port moved to a free
 * one (beside test/nodeset/assemble-nodes.test.ts, which reads the programs' declared listens at
 * the default ports): the generated files themselves bind no wildcard address and carry the moved
 * ports, MariaDB's grants file is 0600, and an address added to the checkout's own appserver
 * line gives the new node a tree of its own, a server in haproxy and a grant. No daemon runs.
 */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
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

/** Every generated file of a tree: etc/, the parts' etc/ and the process manager's manifest. */
function generated(d: ExampleDeployment, node: string): string[] {
  const tree = path.join(d.dir, 'trees', node);
  const dirs = [
    path.join(tree, 'etc'),
    ...readdirSync(path.join(tree, 'parts')).map((p) => path.join(tree, 'parts', p, 'etc')),
  ];
  const files = dirs.filter((dir) => existsSync(dir)).flatMap((dir) => readdirSync(dir).map((f) => path.join(dir, f)));
  files.push(path.join(tree, 'parts', 'supervisor', 'supervisor.json'));
  return files.filter((file) => statSync(file).isFile());
}

after(async () => (await built)?.cleanup());

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

test("MariaDB grants the database account to every app node's address, in a file only mysql reads", async () => {
  const d = await trees();
  const init = read(d, 'db', 'etc/mysql-init.sql');
  for (const address of Object.values(APPS))
    assert.match(init, new RegExp(`GRANT ALL PRIVILEGES ON \`zodb\`\\.\\* TO 'zope'@'${address}';`));
  assert.doesNotMatch(init, new RegExp(`'zope'@'${BALANCER}'`));
  assert.equal(statSync(path.join(d.dir, 'trees', 'db', 'etc', 'mysql-init.sql')).mode & 0o777, 0o600);
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
    for (const node of ['app4', 'db'])
      assert.match(read(d, node, 'etc/hosts.nodeset'), /^10\.231\.0\.14\tapp4\.zeta\.test app4$/m);
  } finally {
    d.cleanup();
  }
});
