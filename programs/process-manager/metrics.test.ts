/** The Prometheus text: label escaping, exit codes of signals. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { renderMetrics } from './metrics';
import type { StatusRow } from './status';

test('metrics: label values escaped, a signal exported as 128 + its number', () => {
  const row = {
    name: 'we"b\\1',
    type: 'program',
    state: 'EXITED',
    pid: null,
    restarts: 2,
    lastExitCode: null,
    lastExitSignal: 'SIGKILL',
    ready: null,
  } as unknown as StatusRow;
  const text = renderMetrics('node\na', [row]);
  assert.match(text, /^zeta_program_up\{node="node\\na",program="we\\"b\\\\1",type="program",state="EXITED"\} 0$/m);
  assert.match(text, /^zeta_program_last_exit_code\{.*signal="SIGKILL"\} 137$/m);
  assert.match(text, /^zeta_program_restarts_total\{.*\} 2$/m);
});
