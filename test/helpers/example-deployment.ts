/**
 * The repository's example deployment (deployment.cfg, versions.cfg, buildout.d/, app/) copied
 * into a temporary directory, with every port of [ports] moved to a free one by command-line
 * assignments (`ports:http=<free>`), never the example's defaults: a stack may be running there,
 * and other tests run on this machine at the same time. The directory is world-traversable so
 * daemons running as nobody can reach their files. `config` picks the file assembled
 * (deployment-source.cfg builds the daemons from source).
 */
import { chmodSync, cpSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT, tempDir } from './paths';
import { freePorts } from './ports';
import { assembleAsync, type RunResult } from './run';

export const PORT_KEYS = [
  'http',
  'https',
  'varnish',
  'varnish-admin',
  'haproxy',
  'haproxy-stats',
  'instance1',
  'instance2',
  'instance3',
  'instance4',
  'demo',
  'memcached',
  'database',
  'supervisor',
] as const;

export type Ports = Record<(typeof PORT_KEYS)[number], number>;

export interface ExampleDeployment {
  dir: string;
  ports: Ports;
  /** The config file assembled (deployment.cfg unless asked otherwise). */
  config: string;
  /** The `ports:KEY=N` assignments. */
  overrides: string[];
  assemble(...args: string[]): Promise<RunResult>;
  cleanup(): void;
}

export async function exampleDeployment(prefix = 'zeta-stack-', config = 'deployment.cfg'): Promise<ExampleDeployment> {
  const temp = tempDir(prefix);
  chmodSync(temp.dir, 0o755);
  for (const entry of ['deployment.cfg', 'deployment-source.cfg', 'versions.cfg', 'buildout.d', 'app']) {
    if (existsSync(path.join(ROOT, entry)))
      cpSync(path.join(ROOT, entry), path.join(temp.dir, entry), { recursive: true });
  }
  const numbers = await freePorts(PORT_KEYS.length);
  const ports = Object.fromEntries(PORT_KEYS.map((key, i) => [key, numbers[i]])) as Ports;
  const overrides = PORT_KEYS.map((key) => `ports:${key}=${ports[key]}`);
  return {
    dir: temp.dir,
    ports,
    config,
    overrides,
    // an assignment in args replaces the default one of the same option (zc.buildout would keep
    // the value that sorts last, not the last given)
    assemble: (...args) => {
      const given = new Set(args.map((arg) => arg.split('=')[0].trim()));
      const defaults = overrides.filter((o) => !given.has(o.split('=')[0]));
      return assembleAsync(['-c', config, ...defaults, ...args], { cwd: temp.dir, timeoutMs: 180_000 });
    },
    cleanup: temp.cleanup,
  };
}
