/**
 * The options context's calls that look at the machine (src/recipe.ts): input files, paths,
 * executables, probes, users, the environment. Inputs are recorded in the part's `inputs` by
 * content hash, as plan compares them; probe answers and memos go to the run's probe cache.
 * Inspecting (annotate, query), inputs are read but not hashed: nothing is compared.
 */
import * as path from 'node:path';
import type { OptionsContext } from '../recipe';
import { contentHash } from '../util/content-hash';
import { readInputFile, stat, which } from './machine';
import { probe } from './probe';
import type { ProbeCache } from './probe-cache';
import type { Accounts } from './accounts';

export type MachineCalls = Pick<
  OptionsContext,
  'dependOnFile' | 'readInput' | 'stat' | 'which' | 'probe' | 'account' | 'environment' | 'memo'
>;

export interface MachineDeps {
  /** The part's inputs: file -> content hash ("missing" when it cannot be read). */
  inputs: Map<string, string>;
  directory: string;
  inspecting: boolean;
  /** The run's probe cache (a getter: the caller may replace it with the installed state's). */
  probes: () => ProbeCache;
  accounts: Accounts;
}

const NOT_READ = 'not read: inspecting';

function hashFile(file: string): string {
  const read = readInputFile(file);
  return read ? contentHash(read.bytes) : 'missing';
}

export function machineCalls(deps: MachineDeps): MachineCalls {
  const absolute = (file: string): string => path.resolve(deps.directory, file);
  return {
    dependOnFile: (file) => {
      deps.inputs.set(file, deps.inspecting ? NOT_READ : hashFile(file));
    },
    readInput: (file) => {
      const read = readInputFile(absolute(file));
      deps.inputs.set(absolute(file), deps.inspecting ? NOT_READ : read ? contentHash(read.bytes) : 'missing');
      return read;
    },
    stat: (file) => stat(absolute(file)),
    which: (name, dirs) => which(name, dirs),
    probe: (argv, parse, options) => probe(deps.probes(), argv, parse, options),
    account: (name) => deps.accounts.lookup(name),
    environment: (name) => process.env[name],
    memo: (key, files, compute) => deps.probes().get(key, files, compute),
  };
}
