/** Placeholder wiring for install/plan until the parts engine lands. */
import type { Arguments } from '../cli/args';
import type { Logger } from '../output/logger';
import type { DownloadService } from '../download/download-service';
import { ZetaError } from '../errors/zeta-error';

export async function runEngineCommand(args: Arguments, _logger: Logger, _downloads: () => DownloadService): Promise<number> {
  throw new ZetaError('NOT_AVAILABLE', `the "${args.command}" command is not available yet`);
}
