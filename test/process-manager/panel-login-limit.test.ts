/**
 * The real panel's login under a password-guessing attack. Parallel wrong passwords from one
 * client address (127.0.0.2) are checked at most 5 times, the rest answered 429 with
 * Retry-After without being checked (the right password too, from that address); meanwhile
 * the operator on 127.0.0.1 logs in at once. Guesses spread over many addresses are capped
 * overall, yet the operator who has logged in before still gets in. Every failure is in the
 * agent's log with its time, address and user name, and no password ever is.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { freePorts } from '../helpers/ports';
import { serverLine, withSupervised } from '../helpers/supervisor';
import { login } from '../helpers/supervisor-panel';
import { waitFor } from '../helpers/wait';

const PASSWORD = 'Right-Horse-Battery';
const GUESS = 'guess-w7q2';

test(
  'panel login: limited per client address and overall, failures logged, the right password keeps working',
  { timeout: 120_000 },
  async () => {
    const [panel, web] = await freePorts(2);
    await withSupervised(
      `[buildout]
parts = supervisor
[supervisor]
recipe = supervisor
port = 127.0.0.1:${panel}
user = operator
password = ${PASSWORD}
programs =
    ${serverLine(10, 'web', web)}
`,
      async (d) => {
        d.assembleOrFail();
        d.startOrFail();

        // 40 guesses at once from one address: 5 checked (401), 35 refused unchecked (429)
        const burst = await Promise.all(
          Array.from({ length: 40 }, (_, i) => login(panel, 'mallory', `${GUESS}${i}`, '127.0.0.2')),
        );
        const statuses = burst.map((a) => a.status);
        assert.equal(statuses.filter((s) => s === 401).length, 5, statuses.join(' '));
        assert.equal(statuses.filter((s) => s === 429).length, 35, statuses.join(' '));
        for (const refused of burst.filter((a) => a.status === 429)) {
          assert.ok(Number(refused.headers['retry-after']) >= 1, `Retry-After: ${refused.headers['retry-after']}`);
          assert.match(refused.body, /Too many login attempts from your address: try again in \d+ s\./);
        }
        // while that address is limited, the operator elsewhere gets in at once
        const operator = await login(panel, 'operator', PASSWORD, '127.0.0.1');
        assert.equal(operator.status, 303);
        assert.ok(operator.cookie);
        // the limited address is refused even with the right password: the limit is no oracle
        const limited = await login(panel, 'operator', PASSWORD, '127.0.0.2');
        assert.equal(limited.status, 429);
        assert.equal(limited.cookie, undefined);

        // guesses spread over 60 addresses, 2 each: no more than the overall 30 (and what refills) are checked
        const spread = await Promise.all(
          Array.from({ length: 120 }, (_, i) =>
            login(panel, 'root', `${GUESS}x${i}`, `127.0.1.${Math.floor(i / 2) + 1}`),
          ),
        );
        const checked = spread.filter((a) => a.status === 401).length;
        assert.ok(checked >= 25 && checked <= 33, `${checked} of 120 spread guesses were checked`);
        const overall = spread.find((a) => a.status === 429)!;
        assert.match(overall.body, /Too many login attempts from all clients: try again in \d+ s\./);
        // addresses that never logged in wait like everyone else, even with the right password (at
        // most what refilled since, one per 2 s, gets through)...
        const newcomers = await Promise.all(
          Array.from({ length: 10 }, (_, i) => login(panel, 'operator', PASSWORD, `127.0.2.${i + 1}`)),
        );
        assert.ok(newcomers.filter((a) => a.status === 429).length >= 8, newcomers.map((a) => a.status).join(' '));
        // ...but the operator, who logged in before from 127.0.0.1, still gets in at once
        const again = await login(panel, 'operator', PASSWORD, '127.0.0.1');
        assert.equal(again.status, 303);
        // and a wrong password from the operator's own address is checked (its own bucket is full)
        assert.equal((await login(panel, 'operator', 'typo', '127.0.0.1')).status, 401);

        // the agent's output reaches its log through pm2: wait for the last line to arrive
        const lastLine = /failed login from 127\.0\.0\.1 as "operator"/;
        await waitFor(() => lastLine.test(d.read('var/log/supervisor-agent.log')), {
          what: 'the agent to log the last failed login',
          timeoutMs: 10_000,
        });
        const log = d.read('var/log/supervisor-agent.log');
        const failures = log
          .split('\n')
          .filter((l) => /panel: \S+ failed login from 127\.0\.0\.2 as "mallory"/.test(l));
        assert.equal(failures.length, 5, failures.join('\n'));
        assert.match(
          failures[0],
          /panel: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z failed login from 127\.0\.0\.2 as "mallory" \(\d more attempt\(s\) from this address before it must wait\)/,
        );
        assert.match(
          log,
          /panel: \S+ refused \d+ login attempt\(s\) from 127\.0\.0\.2 without checking them: too many attempts from this address; retry after \d+ s/,
        );
        assert.match(log, /panel: \S+ failed login from 127\.0\.1\.\d+ as "root"/);
        assert.match(log, /panel: \S+ login from 127\.0\.0\.1 as "operator"/);
        assert.match(log, /panel: \S+ failed login from 127\.0\.0\.1 as "operator"/);
        // the log is bounded: refusals are summarised, not one line each
        assert.ok(log.split('\n').filter((l) => l.includes('refused')).length < 70, 'refusals flood the log');
        assert.doesNotMatch(log, new RegExp(`${GUESS}|${PASSWORD}|typo`), 'a password reached the log');
      },
    );
  },
);
