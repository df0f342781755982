/**
 * The system users the example's daemons run as: each [users] option names several, best first,
 * and the first that exists on this machine is the one (recipes/shared/users.ts). Read from the
 * assembled configuration (`bin/assemble query`), so the tests follow deployment.cfg.
 */
import { spawnSync } from 'node:child_process';
import { assemble } from './run';

export interface ServiceUser {
  name: string;
  uid: number;
  gid: number;
}

export function systemUser(name: string): ServiceUser | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  if (uid.status !== 0) return undefined;
  return {
    name,
    uid: Number(uid.stdout.trim()),
    gid: Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim()),
  };
}

const known = new Map<string, ServiceUser>();

/** The first existing user of `[users] KEY` in the deployment at `dir` (asked once per deployment and key). */
export function exampleUser(dir: string, config: string, key: string, overrides: string[] = []): ServiceUser {
  const id = [dir, config, key, ...overrides].join('\0');
  const seen = known.get(id);
  if (seen) return seen;
  const result = assemble(['-q', '-c', config, ...overrides, 'query', `users:${key}`], { cwd: dir });
  if (result.status !== 0) throw new Error(`query users:${key} failed: ${result.stderr}`);
  for (const name of result.stdout.split(/\s+/).filter(Boolean)) {
    const user = systemUser(name);
    if (user) {
      known.set(id, user);
      return user;
    }
  }
  throw new Error(`none of the users of [users] ${key} (${result.stdout.trim()}) exists`);
}
