/**
 * Fills the sandbox with what a deploy leaves running (sshd's, ssh master connections, a server
 * started over ssh on one host, a long sleep on another), then waits at a checkpoint, where the
 * test kills the sandbox's top process with SIGKILL.
 */
import type { Scenario } from '../../helpers/nodeset-sandbox/scenario';
import { ssh } from '../../helpers/nodeset-sandbox/ssh';

export interface HoldResult {
  never: true;
}

export const scenario: Scenario<{ port: number }, HoldResult> = async (ctx) => {
  const [app1, app2] = [ctx.hosts.host('app1'), ctx.hosts.host('app2')];
  const started = await Promise.all([
    ssh(
      ctx.hosts,
      app1,
      `setsid /usr/bin/python3 -m http.server ${ctx.args.port} --bind ${app1.address} ` +
        `--directory ${app1.home} >/dev/null 2>&1 </dev/null & echo $!`,
    ),
    ssh(ctx.hosts, app2, 'setsid sleep 300 >/dev/null 2>&1 </dev/null & echo $!'),
  ]);
  for (const s of started) if (s.code !== 0) throw new Error(`could not start: ${s.stderr}`);
  await ctx.checkpoint('running', { server: Number(started[0].stdout), sleep: Number(started[1].stdout) });
  throw new Error('the sandbox should have been killed at the checkpoint');
};
