/**
 * Bad request targets against the real panel, sent byte for byte: bad percent-encoding, NULs,
 * traversal attempts, unknown programs and pages, odd query values, foreign origins, huge
 * targets. Each is a 400 or a 404 (401 for the API without a session), never a 500; the panel
 * logs no internal error and still serves the good requests afterwards.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { freePorts } from '../helpers/ports';
import { serverLine, supervisorPart, withSupervised } from '../helpers/supervisor';
import { login, rawRequest } from '../helpers/supervisor-panel';

/** Targets and what each must get with a session: 400 (malformed) or 404 (well formed, names nothing). */
const TARGETS: Array<[string, 400 | 404]> = [
  ['/api/programs/%ff/log', 400],
  ['/api/programs/%/log', 400],
  ['/api/programs/%e2%82/log', 400],
  ['/api/programs/%zz/history', 400],
  ['/api/programs/web%00/log', 400],
  ['/api/%ff', 400],
  ['/%ff', 400],
  ['/panel.js%c0%af', 400],
  [`/api/programs/${'a'.repeat(5000)}/log`, 400],
  ['//evil.example/api/status', 400],
  ['/\\evil.example/api/status', 400],
  ['*', 400],
  ['http://[::1/', 400],
  ['/api/programs/..%2f..%2f..%2fetc%2fpasswd/log', 404],
  ['/api/programs/%2e%2e%2f%2e%2e%2fetc%2fpasswd/log', 404],
  ['/api/programs/../../../etc/passwd', 404],
  ['/api/programs/web%2f..%2f..%2fsupervisor/log', 404],
  ['/api/programs/..%5c..%5cetc/log', 404],
  ['/api/programs/nosuch/log', 404],
  ['/api/programs/web/bogus', 404],
  ['/api/programs//log', 404],
  ['/api/nothing', 404],
];

test('bad request targets get 400 or 404 from the panel, never 500', { timeout: 90_000 }, async () => {
  const [panel, web] = await freePorts(2);
  await withSupervised(
    `[buildout]\nparts = supervisor\n${supervisorPart(panel)}programs =\n    ${serverLine(10, 'web', web)}\n`,
    async (d) => {
      d.assembleOrFail();
      d.startOrFail();
      const { cookie } = await login(panel, 'admin', 'secret');
      assert.ok(cookie, 'logged in');
      const wrong: string[] = [];
      for (const [target, expected] of TARGETS) {
        const withSession = await rawRequest(panel, target, { headers: { cookie: cookie! } });
        if (withSession.status !== expected)
          wrong.push(
            `${target.slice(0, 60)} with a session: ${withSession.status} ${withSession.body.slice(0, 120)} ` +
              `(expected ${expected})`,
          );
        const anonymous = await rawRequest(panel, target);
        const allowed = expected === 400 ? [400] : [404, 401, 303];
        if (!allowed.includes(anonymous.status))
          wrong.push(
            `${target.slice(0, 60)} without a session: ${anonymous.status} (expected ${allowed.join(' or ')})`,
          );
      }
      // query values are input too: never a 500, and the line count is bounded
      for (const query of [
        'lines=%ff',
        'lines=-5',
        'lines=1e9',
        'lines=abc',
        'stream=%zz',
        'stream=../../etc/passwd',
      ]) {
        const answer = await rawRequest(panel, `/api/programs/web/log?${query}`, { headers: { cookie: cookie! } });
        if (answer.status !== 200) wrong.push(`log?${query}: ${answer.status}`);
        else assert.ok(JSON.parse(answer.body).lines.length <= 500, query);
      }
      // a POST with a bad name is refused the same way, before anything acts
      const post = await rawRequest(panel, '/api/programs/%ff/stop', {
        method: 'POST',
        headers: { cookie: cookie!, origin: `http://127.0.0.1:${panel}` },
      });
      if (post.status !== 400) wrong.push(`POST %ff/stop: ${post.status}`);
      assert.deepEqual(wrong, []);

      const status = await rawRequest(panel, '/api/status', { headers: { cookie: cookie! } });
      assert.equal(status.status, 200, 'the panel still serves good requests');
      assert.equal(JSON.parse(status.body).programs[0].state, 'RUNNING');
      assert.doesNotMatch(d.read('var/log/supervisor-agent.log'), /panel: (GET|POST) /, 'no internal error was logged');
    },
  );
});
