/**
 * Hosts come up and Ansible reaches each one, and each command runs on the host it names:
 * `ansible all -m ping`, then every host reports its own eth0 address, hostname and network
 * namespace. Then the same check with the ControlPath mistake (%%C in ssh_args): every host
 * shares one master connection, and the check must catch it.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runAdHoc, taskOutputs, type AnsibleRun } from '../../helpers/nodeset-sandbox/ansible-run';
import type { Scenario } from '../../helpers/nodeset-sandbox/scenario';

export interface HostReport {
  address?: string;
  hostname?: string;
  netns?: string;
}

export interface IdentityResult {
  ping: { kind: string; code: number | null; hosts: Record<string, string>; pong: Record<string, unknown> };
  reports: Record<string, HostReport>;
  inventory: Record<string, string>;
  sharedControlPath: { kind: string; reports: Record<string, HostReport> };
  timings: Record<string, number>;
}

const REPORT = 'ip -4 -o addr show dev eth0; hostname; readlink /proc/self/ns/net';

function reportsOf(run: AnsibleRun): Record<string, HostReport> {
  return Object.fromEntries(
    Object.entries(taskOutputs(run)).map(([host, result]) => {
      const out = String(result.stdout ?? '');
      const [, hostname, netns] = out.split('\n');
      return [host, { address: out.match(/\binet (\d+\.\d+\.\d+\.\d+)\//)?.[1], hostname, netns }];
    }),
  );
}

const statuses = (run: AnsibleRun): Record<string, string> =>
  Object.fromEntries(Object.entries(run.hosts).map(([h, o]) => [h, o.status]));

export const scenario: Scenario<null, IdentityResult> = async (ctx) => {
  const timeoutMs = 30_000;
  const ping = await runAdHoc(ctx.ansible, 'all', 'ansible.builtin.ping', undefined, { timeoutMs });
  const report = await runAdHoc(ctx.ansible, 'all', 'ansible.builtin.shell', REPORT, { timeoutMs });
  // the mistake of the study's gotcha 6, on a copy of the config with its own socket directory
  const bad = path.join(ctx.ansible.dir, 'ansible-shared-control-path.cfg');
  writeFileSync(
    bad,
    readFileSync(ctx.ansible.config, 'utf8').replace(
      `${ctx.hosts.controlDir}/%C`,
      `${ctx.hosts.controlDir}/shared-%%C`,
    ),
  );
  const badFiles = { ...ctx.ansible, config: bad };
  const first = ctx.hosts.hosts[0].name;
  await runAdHoc(badFiles, first, 'ansible.builtin.ping', undefined, { timeoutMs }); // opens the one shared master
  const badReport = await runAdHoc(badFiles, 'all', 'ansible.builtin.shell', REPORT, { timeoutMs });
  return {
    ping: {
      kind: ping.kind,
      code: ping.code,
      hosts: statuses(ping),
      pong: Object.fromEntries(Object.entries(taskOutputs(ping)).map(([h, r]) => [h, r.ping])),
    },
    reports: reportsOf(report),
    inventory: Object.fromEntries(ctx.hosts.hosts.map((h) => [h.name, h.address])),
    sharedControlPath: { kind: badReport.kind, reports: reportsOf(badReport) },
    timings: { pingMs: ping.durationMs, reportMs: report.durationMs },
  };
};
