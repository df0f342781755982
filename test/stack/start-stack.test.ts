/**
 * scripts/start-stack.js, what `npm start` runs after setting up: against a copy of the example
 * with shifted ports (given as assignments, as `npm start -- ports:http=9000` would), it
 * assembles, starts the stack with bin/supervisord, waits for the chain and prints where to
 * look. Every printed URL must answer, no password may be printed, a second run must leave the
 * running stack alone, and the printed stop command must stop everything. Bad input: exit 2.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { exampleDeployment } from '../helpers/example-deployment';
import { SupervisedExample } from '../helpers/supervised-example';
import { ROOT } from '../helpers/paths';
import { isListening } from '../helpers/ports';
import { request } from '../helpers/http-probe';

const SCRIPT = path.join(ROOT, 'scripts', 'start-stack.js');

function startStack(
  args: string[],
  timeoutMs = 240_000,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
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

/** A printed URL, fetched over IPv4 (the stack binds 127.0.0.1; "localhost" may resolve to ::1 first). */
function fetch(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const secure = url.startsWith('https:');
    const client = secure ? (require('node:https') as typeof import('node:https')) : http;
    const req = client.get(
      url,
      { family: 4, agent: false, timeout: 10_000, headers, rejectUnauthorized: false } as http.RequestOptions,
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
  });
}

function printed(stdout: string, label: string): string {
  const match = new RegExp(`^  ${label} +(\\S+)`, 'm').exec(stdout);
  assert.ok(match, `"${label}" is printed:\n${stdout}`);
  return match![1];
}

test(
  'scripts/start-stack.js: assembles, starts, prints where to look (every URL answers), a second run leaves ' +
    'the stack running, the printed stop command stops it',
  { timeout: 400_000 },
  async () => {
    const stack = await exampleDeployment('zeta-start-stack-');
    let example: SupervisedExample | undefined;
    try {
      const first = await startStack(['--directory', stack.dir, ...stack.overrides]);
      try {
        example = SupervisedExample.adopt(stack);
      } catch {
        /* not assembled: nothing to tear down but the copy */
      }
      assert.equal(first.status, 0, `${first.stdout}\n${first.stderr}`);
      assert.match(first.stdout, /The stack is up \(started\)/);
      assert.doesNotMatch(first.stdout + first.stderr, /secret/, 'no password is printed');
      const site = printed(first.stdout, 'site');
      assert.equal(site, `http://localhost:${stack.ports.http}/`);
      const https = /^ {18}(https:\/\/\S+)/m.exec(first.stdout)![1];
      assert.equal(https, `https://localhost:${stack.ports.https}/`);
      const certificate = /\(certificate: ([^)]*)\)/.exec(first.stdout)?.[1];
      assert.equal(certificate, path.join(stack.dir, 'etc', 'nginx.crt'), 'the certificate in use is printed');
      const panel = printed(first.stdout, 'control panel');
      assert.equal(panel, `http://127.0.0.1:${stack.ports.supervisor}/`);
      assert.match(
        first.stdout,
        /control panel .* user admin, password: set as supervisor-admin in \[passwords\] at deployment\.cfg:\d+/,
      );
      const stats = printed(first.stdout, 'HAProxy stats');
      assert.match(
        first.stdout,
        /HAProxy stats .* user admin, password: set as haproxy-admin in \[passwords\] at deployment\.cfg:\d+/,
      );
      const status = printed(first.stdout, 'nginx status');
      assert.equal(printed(first.stdout, 'logs'), path.join(stack.dir, 'var', 'log'));
      assert.equal(printed(first.stdout, 'status'), path.join(stack.dir, 'bin', 'supervisorctl'));
      const stop = /^ {2}stop +(\S+) shutdown$/m.exec(first.stdout);
      assert.ok(stop, first.stdout);

      // every printed URL answers
      const page = await fetch(site);
      assert.equal(page.status, 200);
      assert.match(page.body, /Hello from instance[1-4]/);
      assert.equal((await fetch(https)).status, 200);
      const login = await fetch(panel);
      assert.equal(login.status, 200);
      assert.match(login.body, /password/i, "the panel's login form");
      assert.equal((await fetch(stats)).status, 401, 'HAProxy stats want the password');
      assert.equal(
        (await fetch(stats, { authorization: `Basic ${Buffer.from('admin:secret').toString('base64')}` })).status,
        200,
      );
      assert.equal((await fetch(status)).status, 200);

      // a second run while it runs: says so, touches no program
      const pids = new Map((await example!.status()).map((p) => [p.name, p.pid]));
      const second = await startStack(['--directory', stack.dir, ...stack.overrides]);
      assert.equal(second.status, 0, `${second.stdout}\n${second.stderr}`);
      assert.match(second.stderr, /the stack is running already/);
      assert.match(second.stdout, /The stack is up \(it was running already and is updated\)/);
      assert.deepEqual(
        new Map((await example!.status()).map((p) => [p.name, p.pid])),
        pids,
        'no program was restarted',
      );
      assert.equal(
        (await request(`http://127.0.0.1:${stack.ports.http}/`, { headers: { host: 'localhost' } })).status,
        200,
      );

      // the printed stop command
      const stopped = await example!.run('supervisorctl', ['shutdown']);
      assert.equal(stop![1], path.join(stack.dir, 'bin', 'supervisorctl'));
      assert.equal(stopped.status, 0, stopped.stderr);
      for (const port of Object.values(stack.ports))
        assert.equal(await isListening(port), false, `port ${port} still listens`);
    } finally {
      if (example) await example.teardown();
      else stack.cleanup();
    }
  },
);

test('scripts/start-stack.js: bad input is a clear error with exit status 2', { timeout: 120_000 }, async () => {
  const unknown = await startStack(['--bogus']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown argument "--bogus"\n {2}hint: usage: node scripts\/start-stack\.js/);
  const missing = await startStack(['--directory', '/nonexistent-zeta']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no configuration \/nonexistent-zeta\/deployment\.cfg/);
  const stack = await exampleDeployment('zeta-start-stack-bad-');
  try {
    const bad = await startStack([
      '--directory',
      stack.dir,
      ...stack.overrides.filter((o) => !o.startsWith('ports:http=')),
      'ports:http=notaport',
    ]);
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /error\[[A-Z_]+\].*notaport|notaport/);
    assert.match(bad.stderr, /bin\/assemble -c deployment\.cfg .* failed \(exit 2\)/);
  } finally {
    stack.cleanup();
  }
});
