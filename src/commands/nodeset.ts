/**
 * `bin/assemble nodeset SUB`: loads the nodeset once and hands it to the subcommand's module
 * (src/commands/nodeset/), which returns what to print and the exit status. Subcommands are
 * loaded only when used.
 */
import type { Logger } from '../output/logger';
import type { DownloadService } from '../download/download-service';
import type { ZetaError } from '../errors/zeta-error';
import { loadNodesetConfig, type LoadedNodeset } from '../nodeset/load';

/** What the command line said after `nodeset` (parsed by src/cli/nodeset-args.ts). */
export interface NodesetArguments {
  sub: string;
  node?: string;
  /** Flags given: a switch maps to "true". */
  flags: Map<string, string>;
  rest: string[];
}

export interface NodesetRequest {
  args: NodesetArguments;
  file: string;
  assignments: string[];
  verbosity: number;
  logger: Logger;
  downloads: () => DownloadService;
  warn: (warning: ZetaError) => void;
  /** Writes to standard output. */
  write: (text: string) => void;
  /** Whether standard output is a terminal (colours). */
  color: boolean;
}

export type NodesetSubcommand = (loaded: LoadedNodeset, request: NodesetRequest) => Promise<number>;

const SUBCOMMANDS: Record<string, () => NodesetSubcommand> = {
  list: () => (require('./nodeset/list') as typeof import('./nodeset/list')).list,
  'ssh-config': () => (require('./nodeset/ssh-config') as typeof import('./nodeset/ssh-config')).sshConfig,
  assemble: () => (require('./nodeset/assemble') as typeof import('./nodeset/assemble')).assembleCommand,
  annotate: () => (require('./nodeset/annotate') as typeof import('./nodeset/annotate')).annotateNode,
  deploy: () => (require('./nodeset/deploy') as typeof import('./nodeset/deploy')).deployCommand,
  rollback: () => (require('./nodeset/deploy') as typeof import('./nodeset/deploy')).rollbackCommand,
  status: () => (require('./nodeset/status') as typeof import('./nodeset/status')).statusCommand,
  plan: () => (require('./nodeset/plan') as typeof import('./nodeset/plan')).planCommand,
  logs: () => (require('./nodeset/logs') as typeof import('./nodeset/logs')).logsCommand,
};

export async function runNodeset(request: NodesetRequest): Promise<number> {
  const loaded = await loadNodesetConfig(request.file, request.assignments, request.downloads);
  for (const warning of loaded.config.warnings) request.warn(warning);
  return SUBCOMMANDS[request.args.sub]()(loaded, request);
}
