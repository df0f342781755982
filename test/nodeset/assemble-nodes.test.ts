/**
 * The example nodeset (nodeset.cfg: three app servers, a balancer, a database node), each node
 * assembled by `bin/assemble nodeset assemble NODE --target DIR` into a temporary directory, no
 * daemon started: each tree holds only its node's parts and programs, every program listens on
 * its node's address (never all interfaces), the balancer's haproxy has every app node's
 * instances, the instances use the database node's MariaDB and memcached, MariaDB grants its
 * account to every app node, every tree has the same hosts file, var/ is the shared directory's.
 * Then a fourth app server added by one line of a file that extends the example.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { assemble } from '../helpers/run';
import { ROOT, tempDir } from '../helpers/paths';

const NODESET = path.join(ROOT, 'nodeset.cfg');
const APPS = { app1: '10.231.0.11', app2: '10.231.0.12', app3: '10.231.0.13' };
const ADDRESS: Record<string, string> = { ...APPS, balancer: '10.231.0.20', db: '10.231.0.30' };
const INSTANCES = ['instance1', 'instance2', 'instance3', 'instance4'];

let temp: { dir: string; cleanup: () => void };
const tree = (node: string): string => path.join(temp.dir, node);
const read = (node: string, file: string): string => readFileSync(path.join(tree(node), file), 'utf8');

interface Program {
  name: string;
  listen: Array<{ host: string; port: number }>;
}
function programs(node: string): Program[] {
  return JSON.parse(read(node, 'parts/supervisor/supervisor.json')).programs;
}

before(() => {
  temp = tempDir('zeta-nodeset-');
  // the programs' users (zope, mysql, ...) must be able to enter the trees, as on a node
  chmodSync(temp.dir, 0o755);
  for (const node of Object.keys(ADDRESS)) {
    const args = ['-c', NODESET, 'nodeset', 'assemble', node, '--target', tree(node)];
    const result = assemble([...args, '--shared', path.join(temp.dir, 'shared', node)], { timeoutMs: 120_000 });
    assert.equal(result.status, 0, `${node}: ${result.stderr}`);
  }
});
after(() => temp?.cleanup());

test('each tree runs only its own parts: the others are neither installed nor in its supervisor.json', () => {
  const expected: Record<string, string[]> = {
    app1: INSTANCES,
    app2: INSTANCES,
    app3: INSTANCES,
    balancer: ['varnish', 'haproxy', 'nginx', 'demo'],
    db: ['memcached', 'mysql'],
  };
  for (const [node, names] of Object.entries(expected)) {
    assert.deepEqual(
      programs(node)
        .map((p) => p.name)
        .sort(),
      [...names].sort(),
      node,
    );
    const installed = Object.keys(JSON.parse(read(node, '.installed.json')).parts).sort();
    const common = ['nodeset-hosts', 'supervisor', 'zodbpack-config'];
    assert.deepEqual(installed, [...names, ...common].sort(), `${node}: installed parts`);
  }
  assert.ok(!existsSync(path.join(tree('app1'), 'etc', 'haproxy.conf')));
  assert.ok(!existsSync(path.join(tree('balancer'), 'parts', 'instance1')));
  assert.ok(!existsSync(path.join(tree('db'), 'etc', 'nginx.conf')));
});

test("every node's agent: named after the node, one token on every node, every other node a peer over HTTPS with the nodeset's certificate", () => {
  const tokens = new Set<string>();
  for (const [node, address] of Object.entries(ADDRESS)) {
    const config = JSON.parse(read(node, 'parts/supervisor/supervisor.json'));
    assert.equal(config.agent.node, node);
    assert.deepEqual(
      config.agent.peers,
      Object.entries(ADDRESS)
        .filter(([other]) => other !== node)
        .map(([other, a]) => ({ name: other, url: `https://${a}:9001` })),
    );
    const tls = path.join(temp.dir, 'shared', node, 'agent-tls');
    assert.deepEqual(config.panel.tls, { certificate: path.join(tls, 'agent.crt'), key: path.join(tls, 'agent.key') });
    assert.equal(config.agent.peerCa, path.join(tls, 'agent.crt'));
    assert.equal(lstatSync(path.join(tls, 'agent.key')).mode & 0o777, 0o600, `${node}: the key is the owner's only`);
    const tokenFile = path.join(tree(node), 'parts', 'supervisor', 'agent-token');
    assert.equal(lstatSync(tokenFile).mode & 0o777, 0o600);
    tokens.add(readFileSync(tokenFile, 'utf8'));
    // the certificate names the node's address, so peers check it as any HTTPS client would
    const text = execFileSync(
      'openssl',
      ['x509', '-in', config.panel.tls.certificate, '-noout', '-ext', 'subjectAltName'],
      {
        encoding: 'utf8',
      },
    );
    assert.match(text, new RegExp(`IP Address:${address.replace(/\./g, '\\.')}\\b`));
  }
  assert.equal(tokens.size, 1, 'one token on every node');
});

test("every program listens on its node's address or loopback, never on all interfaces", () => {
  for (const [node, address] of Object.entries(ADDRESS)) {
    for (const program of programs(node)) {
      const hosts = program.listen.map((l) => l.host);
      // the services themselves face the network on the node's address; loopback is only for
      // control ports (varnish's admin)
      assert.ok(hosts.includes(address), `${node} ${program.name} listens on ${hosts.join(', ')}`);
      for (const host of hosts) assert.ok(host === address || host === '127.0.0.1', `${node} ${program.name}: ${host}`);
    }
    const panel = JSON.parse(read(node, 'parts/supervisor/supervisor.json')).panel;
    assert.equal(panel.host, address, `${node}: the process manager's panel`);
  }
  const app2 = programs('app2').map((p) => `${p.name} ${p.listen.map((l) => `${l.host}:${l.port}`).join(' ')}`);
  assert.deepEqual(app2.sort(), INSTANCES.map((name, i) => `${name} 10.231.0.12:${8001 + i}`).sort());
});

test("the balancer's haproxy has every app node's instances, nginx and varnish bind the balancer's address", () => {
  const conf = read('balancer', 'etc/haproxy.conf');
  const servers = [...conf.matchAll(/^\s+server (\S+) (\S+) check/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
  const expected = Object.entries(APPS).flatMap(([node, address]) =>
    INSTANCES.map((part, i) => `${node}-${part} ${address}:${8001 + i}`),
  );
  assert.deepEqual(servers, expected.sort());
  assert.match(conf, /^\s+bind 10\.231\.0\.20:8200$/m);
  assert.match(conf, /http-check send meth GET uri \/health/);
  assert.match(read('balancer', 'etc/nginx.conf'), /^\s+listen 10\.231\.0\.20:8000;$/m);
  assert.match(read('balancer', 'etc/varnish.vcl'), /\.host = "10\.231\.0\.20";\s+\.port = "8200";/);
});

test("the instances use the database node's MariaDB and memcached; MariaDB grants to every app node", () => {
  for (const node of Object.keys(APPS)) {
    const zopeConf = read(node, 'parts/instance3/etc/zope.conf');
    assert.match(zopeConf, /^\s+host 10\.231\.0\.30$/m, node);
    assert.match(zopeConf, /cache-servers 10\.231\.0\.30:11211/, node);
  }
  assert.match(read('db', 'etc/mysql.cnf'), /^bind-address\s+= 10\.231\.0\.30$/m);
  const init = read('db', 'etc/mysql-init.sql');
  const granted = [...init.matchAll(/^GRANT ALL PRIVILEGES ON `zodb`\.\* TO 'zope'@'([^']+)';$/gm)].map((m) => m[1]);
  assert.deepEqual(granted.sort(), ['10.231.0.11', '10.231.0.12', '10.231.0.13', '127.0.0.1', 'localhost']);
});

test('every tree holds the same hosts file naming every node; var/ is the shared directory', () => {
  const hosts = read('app1', 'etc/hosts.nodeset');
  const entries = hosts.split('\n').filter((line) => line && !line.startsWith('#'));
  assert.deepEqual(entries, [
    '10.231.0.11\tapp1.zeta.test app1',
    '10.231.0.12\tapp2.zeta.test app2',
    '10.231.0.13\tapp3.zeta.test app3',
    '10.231.0.20\tbalancer.zeta.test balancer example.com www.example.com',
    '10.231.0.30\tdb.zeta.test db',
  ]);
  for (const node of Object.keys(ADDRESS)) {
    assert.equal(read(node, 'etc/hosts.nodeset'), hosts, node);
    const link = path.join(tree(node), 'var');
    assert.ok(lstatSync(link).isSymbolicLink(), `${node}: var/ is a link`);
    assert.equal(readlinkSync(link), path.join(temp.dir, 'shared', node, 'var'));
  }
  // MariaDB's datadir is initialised in the shared directory, not in the tree
  assert.ok(existsSync(path.join(temp.dir, 'shared', 'db', 'var', 'mysql')));
});

test('annotate NODE shows what the node gets, as command-line assignments over the file', () => {
  const result = assemble(['-c', NODESET, 'nodeset', 'annotate', 'app2', 'hosts']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(
    result.stdout,
    /^instance1 = 10\.231\.0\.12\n(?: .*\n)*? +overridden +command line \(hosts:instance1=10\.231\.0\.12\)$/m,
  );
  assert.match(result.stdout, /^database = 10\.231\.0\.30$/m);
  assert.match(result.stdout, /^nginx = 10\.231\.0\.20$/m);
  const balancer = assemble(['-c', NODESET, 'nodeset', 'annotate', 'balancer', 'hosts']);
  assert.match(
    balancer.stdout,
    /^nginx = 10\.231\.0\.20\n(?: .*\n)*? +overridden +command line \(hosts:nginx=10\.231\.0\.20\)$/m,
  );
});

test("adding a node is one line: a fourth address, and the balancer's haproxy has its instances", () => {
  const file = path.join(temp.dir, 'four.cfg');
  writeFileSync(file, `[buildout]\nextends = ${NODESET}\n\n[role.appserver]\naddresses += 10.231.0.14\n`);
  const list = assemble(['-c', file, 'nodeset', 'list', '--json']);
  assert.equal(list.status, 0, list.stderr);
  const nodes = JSON.parse(list.stdout).nodes.map((n: { short: string; address: string }) => `${n.short} ${n.address}`);
  assert.deepEqual(nodes, [
    'app1 10.231.0.11',
    'app2 10.231.0.12',
    'app3 10.231.0.13',
    'app4 10.231.0.14',
    'balancer 10.231.0.20',
    'db 10.231.0.30',
  ]);
  const target = path.join(temp.dir, 'balancer4');
  const result = assemble(['-c', file, 'nodeset', 'assemble', 'balancer', '--target', target], { timeoutMs: 120_000 });
  assert.equal(result.status, 0, result.stderr);
  const conf = readFileSync(path.join(target, 'etc', 'haproxy.conf'), 'utf8');
  const app4 = [...conf.matchAll(/^\s+server (app4-\S+) (\S+) check/gm)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual(
    app4,
    INSTANCES.map((part, i) => `app4-${part} 10.231.0.14:${8001 + i}`),
  );
  assert.equal([...conf.matchAll(/^\s+server /gm)].length, 16);
  assert.match(
    readFileSync(path.join(target, 'etc', 'hosts.nodeset'), 'utf8'),
    /^10\.231\.0\.14\tapp4\.zeta\.test app4$/m,
  );
});

test('assemble --plan prints the plan and writes nothing', () => {
  const target = path.join(temp.dir, 'planned');
  const result = assemble(['-c', NODESET, 'nodeset', 'assemble', 'db', '--target', target, '--plan']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^ {2}install {5}mysql {2,}mysql$/m);
  assert.match(result.stdout, /^changes pending: /m);
  // the sources the trees read are there; nothing else is
  assert.deepEqual(
    ['app', 'buildout.d'].filter((name) => existsSync(path.join(target, name))),
    ['app', 'buildout.d'],
  );
  assert.ok(!existsSync(path.join(target, '.installed.json')));
  assert.ok(!existsSync(path.join(target, 'etc')));
});
