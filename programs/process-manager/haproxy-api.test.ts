/** Reading a server's sessions and status out of haproxy's `show stat` CSV. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseServerStat } from './haproxy-api';

const CSV = [
  '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight',
  'www,FRONTEND,,,3,5,4096,10,0,0,0,0,0,,,,,OPEN,',
  'zope,instance1,0,0,2,4,4,9,0,0,,0,,0,0,0,0,UP,50',
  'zope,instance2,0,0,0,4,4,9,0,0,,0,,0,0,0,0,DRAIN,50',
  'zope,BACKEND,0,0,2,4,410,18,0,0,0,0,,0,0,0,0,UP,100',
  '',
].join('\n');

test("a server's current sessions and status come from its own row, found by backend and name", () => {
  assert.deepEqual(parseServerStat(CSV, 'zope', 'instance1'), { sessions: 2, status: 'UP' });
  assert.deepEqual(parseServerStat(CSV, 'zope', 'instance2'), { sessions: 0, status: 'DRAIN' });
  assert.equal(parseServerStat(CSV, 'zope', 'instance9'), undefined);
  assert.equal(parseServerStat(CSV, 'www', 'instance1'), undefined);
});
