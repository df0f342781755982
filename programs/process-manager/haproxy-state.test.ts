import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { keepUnchanged } from './haproxy-state';

const HEADER =
  '# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight ' +
  'srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state ' +
  'srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port ' +
  'srv_check_addr srv_agent_addr srv_agent_port';
// as haproxy 2.6 prints `show servers state`
const DUMP = [
  '1',
  HEADER,
  '3 zope 1 instance1 127.0.0.1 2 0 50 50 31 15 3 2 6 0 0 0 - 8101 - 0 0 - - 0',
  '3 zope 2 instance2 127.0.0.1 2 0 50 50 31 15 3 2 6 0 0 0 - 8102 - 0 0 - - 0',
  '3 zope 3 instance3 127.0.0.1 0 1 50 50 4 7 2 0 6 0 0 0 - 8103 - 0 0 - - 0',
  '',
].join('\n');

test('the state of servers whose name and address are unchanged is kept, the version line first', () => {
  const next = [
    { name: 'instance1', host: '127.0.0.1', port: 8101 },
    { name: 'instance2', host: '127.0.0.1', port: 9102 }, // moved: its old address must not come back
    { name: 'instance3', host: '127.0.0.1', port: 8103 },
    { name: 'instance4', host: '127.0.0.1', port: 8104 }, // new: no state
  ];
  assert.equal(
    keepUnchanged(DUMP, next),
    [
      '1',
      '3 zope 1 instance1 127.0.0.1 2 0 50 50 31 15 3 2 6 0 0 0 - 8101 - 0 0 - - 0',
      '3 zope 3 instance3 127.0.0.1 0 1 50 50 4 7 2 0 6 0 0 0 - 8103 - 0 0 - - 0',
      '',
    ].join('\n'),
  );
});

test('a dump in another format version, or no dump, keeps nothing', () => {
  const next = [{ name: 'instance1', host: '127.0.0.1', port: 8101 }];
  assert.equal(keepUnchanged(DUMP.replace(/^1\n/, '2\n'), next), '1\n');
  assert.equal(keepUnchanged('', next), '1\n');
});
