/**
 * `supervisorctl logs [PROGRAM...] [--since 10m] [--grep RE] [--json] [-f]`: the programs' logs
 * as one, current and rotated files, in the order the lines were written (log-search.ts), each
 * with its time. With -f it goes on printing new lines as they come, across rotations: when a
 * file is renamed away (to FILE.1, the same inode) the rest of it is read there first, then the
 * fresh file from its start, so no line written around a rotation is skipped.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { Program, SupervisorConfig } from './config';
import { formatLogLine, parseLine, searchLogs, type LogLine } from './log-search';
import { selectPrograms } from './select-programs';
import { parseSince } from './since';
import { cliErrors } from '../../src/errors/factories/cli';

const FOLLOW_MS = 250;

interface LogsArgs {
  names: string[];
  since?: number;
  grep?: RegExp;
  follow: boolean;
  json: boolean;
}

function parseArgs(args: string[]): LogsArgs {
  const parsed: LogsArgs = { names: [], follow: false, json: false };
  const usage = 'bin/supervisorctl logs [PROGRAM...] [--since 10m] [--grep RE] [--json] [-f]';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-f') parsed.follow = true;
    else if (arg === '--json') parsed.json = true;
    else if (arg === '--since') {
      parsed.since = parseSince(args[++i] ?? '');
      if (parsed.since === undefined)
        throw cliErrors.badUsage(`--since ${args[i] ?? ''} is not a time`, `e.g. --since 10m, 2h, 1d. ${usage}`);
    } else if (arg === '--grep') {
      try {
        parsed.grep = new RegExp(args[++i] ?? '');
      } catch (error) {
        throw cliErrors.badUsage(`--grep ${args[i]}: ${(error as Error).message}`, usage);
      }
      if (args[i] === undefined) throw cliErrors.badUsage('--grep needs a regular expression', usage);
    } else if (arg.startsWith('-')) throw cliErrors.badUsage(`logs has no option ${arg}`, usage);
    else parsed.names.push(arg);
  }
  if (parsed.follow && parsed.json) throw cliErrors.badUsage('logs -f prints lines, not --json', usage);
  return parsed;
}

/** Reads what was appended to one file since the last call, across a rename-away rotation. */
class Follower {
  private inode = 0;
  private position = 0;
  private partial = '';

  constructor(
    private readonly file: string,
    private readonly program: string,
    private readonly stream: LogLine['stream'],
  ) {
    const stat = this.stat(file);
    this.inode = stat?.ino ?? 0;
    this.position = stat?.size ?? 0;
  }

  private stat(file: string): { ino: number; size: number } | undefined {
    try {
      return statSync(file);
    } catch {
      return undefined;
    }
  }

  private read(file: string, from: number, to: number): string {
    if (to <= from) return '';
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(to - from);
      readSync(fd, buffer, 0, buffer.length, from);
      return buffer.toString('utf8');
    } finally {
      closeSync(fd);
    }
  }

  poll(): LogLine[] {
    let text = '';
    const now = this.stat(this.file);
    if (!now) return [];
    if (now.ino !== this.inode) {
      const old = this.stat(`${this.file}.1`);
      if (old?.ino === this.inode) text += this.read(`${this.file}.1`, this.position, old.size);
      [this.inode, this.position] = [now.ino, 0];
    } else if (now.size < this.position) this.position = 0; // truncated (no backups kept)
    text += this.read(this.file, this.position, now.size);
    this.position = now.size;
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    return lines.map((line) => {
      const parsed = parseLine(line);
      return { program: this.program, stream: this.stream, ts: parsed?.ts ?? Date.now(), text: parsed?.text ?? line };
    });
  }
}

function follow(programs: Program[], grep: RegExp | undefined, width: number): Promise<number> {
  const followers = programs.flatMap((p) => [
    new Follower(p.outLog, p.name, 'stdout'),
    ...(p.errLog !== p.outLog ? [new Follower(p.errLog, p.name, 'stderr')] : []),
  ]);
  return new Promise(() => {
    setInterval(() => {
      for (const line of followers.flatMap((f) => f.poll()))
        if (!grep || grep.test(line.text)) process.stdout.write(`${formatLogLine(line, width)}\n`);
    }, FOLLOW_MS);
  });
}

export async function logs(config: SupervisorConfig, args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  const programs = parsed.names.length ? selectPrograms(config, parsed.names) : config.programs;
  const lines = searchLogs(programs, config.logs.backups, { since: parsed.since, grep: parsed.grep });
  if (parsed.json) {
    process.stdout.write(`${JSON.stringify({ lines }, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...programs.map((p) => p.name.length));
  for (const line of lines) process.stdout.write(`${formatLogLine(line, width)}\n`);
  return parsed.follow ? follow(programs, parsed.grep, width) : 0;
}
