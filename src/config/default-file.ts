/** -c defaults to buildout.cfg, then deployment.cfg, in the current directory. */
import { existsSync } from 'node:fs';
import { errors } from '../errors/codes';

export function defaultConfigFile(): string {
  if (existsSync('buildout.cfg')) return 'buildout.cfg';
  if (existsSync('deployment.cfg')) return 'deployment.cfg';
  throw errors.noDefaultConfig();
}
