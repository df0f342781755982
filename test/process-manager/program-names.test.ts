/**
 * What a name means to supervisorctl: a bare name is that one program (stopping "nginx" leaves
 * "porter", another program of type nginx, running); a group is asked for as one (type:TYPE,
 * part:PART, all); a word that is only a type is an error pointing at the group spelling, and a
 * misspelt name an error with the nearest name.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { freePorts } from '../helpers/ports';
import { serverLine, supervisorPart, withSupervised } from '../helpers/supervisor';

test(
  'a name is one program; type:TYPE, part:PART and all are groups; unknown names get the nearest',
  { timeout: 90_000 },
  async () => {
    const [panel, nginx, porter, web] = await freePorts(4);
    await withSupervised(
      `[buildout]
parts = supervisor
${supervisorPart(panel)}programs =
    ${serverLine(10, 'web', web)}
    ${serverLine(20, 'nginx', nginx, { extra: 'type=nginx' })}
    ${serverLine(20, 'porter', porter, { extra: 'type=nginx' })}
`,
      async (d) => {
        d.assembleOrFail();
        d.startOrFail();
        const states = (): Record<string, string> =>
          Object.fromEntries(d.status().programs.map((p) => [p.name, p.state]));

        const one = d.ctl(['stop', 'nginx']);
        assert.equal(one.status, 0, one.stderr);
        assert.deepEqual(states(), { web: 'RUNNING', nginx: 'STOPPED', porter: 'RUNNING' }, one.stderr);
        assert.doesNotMatch(one.stderr, /porter/);

        const group = d.ctl(['stop', 'type:nginx']);
        assert.equal(group.status, 0, group.stderr);
        assert.match(group.stderr, /^stopped  porter /m);
        assert.deepEqual(states(), { web: 'RUNNING', nginx: 'STOPPED', porter: 'STOPPED' });

        const byPart = d.ctl(['start', 'part:supervisor']);
        assert.equal(byPart.status, 0, byPart.stderr);
        assert.deepEqual(states(), { web: 'RUNNING', nginx: 'RUNNING', porter: 'RUNNING' });
        const filtered = JSON.parse(d.ctl(['status', 'type:nginx', '--json']).stdout).programs.map(
          (p: { name: string }) => p.name,
        );
        assert.deepEqual(filtered.sort(), ['nginx', 'porter']);

        // "program" is only a type here (the default one): the group spelling is suggested
        const typeOnly = d.ctl(['stop', 'program']);
        assert.equal(typeOnly.status, 2);
        assert.match(
          typeOnly.stderr,
          /error\[UNKNOWN_PROGRAM\]: there is no program named "program" in this deployment\n\s+hint: did you mean "type:program"\? programs: web, nginx, porter; groups: type:program, type:nginx, part:supervisor; or "all"\./,
        );
        const misspelt = d.ctl(['restart', 'portr']);
        assert.equal(misspelt.status, 2);
        assert.match(misspelt.stderr, /hint: did you mean "porter"\?/);
        const badGroup = d.ctl(['stop', 'type:ngnix']);
        assert.equal(badGroup.status, 2);
        assert.match(
          badGroup.stderr,
          /there is no group named "type:ngnix" in this deployment\n\s+hint: did you mean "type:nginx"\?/,
        );
        const tailGroup = d.ctl(['tail', 'type:nginx']);
        assert.equal(tailGroup.status, 2);
        assert.match(tailGroup.stderr, /tail takes one program, and "type:nginx" is a group/);
        assert.deepEqual(states(), { web: 'RUNNING', nginx: 'RUNNING', porter: 'RUNNING' }, 'no refused command acted');
      },
    );
  },
);
