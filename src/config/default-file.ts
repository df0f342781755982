/** -c defaults to buildout.cfg, then deployment.cfg, in the current directory. */
import { existsSync } from 'node:fs';
import { ZetaError } from '../errors/zeta-error';

export function defaultConfigFile(): string {
  if (existsSync('buildout.cfg')) return 'buildout.cfg';
  if (existsSync('deployment.cfg')) return 'deployment.cfg';
  throw new ZetaError('CONFIG_NOT_FOUND', 'no configuration file: neither buildout.cfg nor deployment.cfg is in the current directory', {
    hint: 'name one with -c FILE, for example "bin/assemble -c deployment.cfg".',
  });
}
