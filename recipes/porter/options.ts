/**
 * The porter recipe's own options: the addresses it answers on, its workers and user, then the
 * routing options it shares with the nginx front door (recipes/shared/porter-options.ts).
 */
import type { OptionsContext } from '../../src/recipe';
import { parseAddress } from '../shared/checks';
import { readRoutingOptions, type ConfigSettings } from '../shared/porter-options';

export function readPorterOptions(ctx: OptionsContext): ConfigSettings {
  const listenWords = ctx.options.words('listen');
  if (!listenWords.length)
    throw ctx.error(
      'listen',
      `part [${ctx.name}] needs "listen": the addresses the front door answers on`,
      'for example: listen = 0.0.0.0:80 (or 127.0.0.1:8080 to try it locally).',
    );
  const listen = listenWords.map((word) => parseAddress(ctx, 'listen', word, '0.0.0.0'));
  const https = ctx.options.words('listen-https').map((word) => parseAddress(ctx, 'listen-https', word, '0.0.0.0'));
  const workers = ctx.options.get('workers')?.trim() || 'auto';
  if (workers !== 'auto' && !/^([1-9]|[1-5]\d|6[0-4])$/.test(workers))
    throw ctx.error('workers', `workers must be "auto" or a number from 1 to 64, not "${workers}"`);
  const user = ctx.options.get('user')?.trim() || undefined;
  if (user !== undefined && !/^[a-z_][a-z0-9_-]{0,31}$/.test(user))
    throw ctx.error('user', `"${user}" is not a user name`);
  return { listen, https, workers, user, ...readRoutingOptions(ctx, https) };
}
