/**
 * `supervisorctl logs [PROGRAM...] [--since 10m] [--grep RE] [--json] [-f]`: the programs' logs
 * as one, current and rotated files, in the order the lines were written (log-search.ts), each
 * with its time. With -f it goes on printing new lines as they come, across rotations (see
 * Follower), so no line written around a rotation is skipped.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Program, SupervisorConfig } from './config';
import { formatLogLine, parseLine, searchLogs, type LogLine } from './log-search';
import { selectPrograms } from './select-programs';
import { parseSince } from './since';
import { cliErrors } from '../../src/errors/factories/cli';

const FOLLOW_MS = 250;
/** Polls without growth before a renamed-away file is left for the new one. */
const QUIET_POLLS = 4;

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

/**
 * Reads what was appended to one file since the last call, through an open descriptor, which
 * keeps reading the same file after it is renamed away (to FILE.1). When the name points to a new
 * file, the old one is read on until it has been quiet for QUIET_POLLS polls (the writer may go
 * on writing to it until it reopens: pm2 does so just after the rotation), then the new one from
 * its start: no line is skipped and none comes out of order.
 */
class Follower {
  private fd: number | undefined;
  private position = 0;
  private partial = '';
  private quiet = 0;

  constructor(
    private readonly file: string,
    private readonly program: string,
    private readonly stream: LogLine['stream'],
  ) {
    this.fd = this.open();
    if (this.fd !== undefined) this.position = fstatSync(this.fd).size;
  }

  /** Where the following starts: the file's inode and size, for the history to stop there. */
  start(): [number, number] | undefined {
    return this.fd === undefined ? undefined : [fstatSync(this.fd).ino, this.position];
  }

  private open(): number | undefined {
    try {
      return openSync(this.file, 'r');
    } catch {
      return undefined;
    }
  }

  private inodeOfName(): number | undefined {
    try {
      return statSync(this.file).ino;
    } catch {
      return undefined;
    }
  }

  private readNew(): string {
    if (this.fd === undefined) return '';
    const size = fstatSync(this.fd).size;
    if (size < this.position) this.position = 0; // truncated (no backups kept)
    if (size === this.position) return '';
    const buffer = Buffer.alloc(size - this.position);
    readSync(this.fd, buffer, 0, buffer.length, this.position);
    this.position = size;
    return buffer.toString('utf8');
  }

  poll(): LogLine[] {
    if (this.fd === undefined) this.fd = this.open();
    let text = this.readNew();
    const named = this.inodeOfName();
    if (this.fd !== undefined && named !== undefined && named !== fstatSync(this.fd).ino) {
      this.quiet = text ? 0 : this.quiet + 1;
      if (this.quiet >= QUIET_POLLS) {
        closeSync(this.fd);
        [this.fd, this.position, this.quiet] = [this.open(), 0, 0];
        text += this.readNew();
      }
    }
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    return lines.map((line) => {
      const parsed = parseLine(line);
      return { program: this.program, stream: this.stream, ts: parsed?.ts ?? Date.now(), text: parsed?.text ?? line };
    });
  }
}

function followers(programs: Program[]): Follower[] {
  return programs.flatMap((p) => [
    new Follower(p.outLog, p.name, 'stdout'),
    ...(p.errLog !== p.outLog ? [new Follower(p.errLog, p.name, 'stderr')] : []),
  ]);
}

function follow(followers: Follower[], grep: RegExp | undefined, width: number): Promise<number> {
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
  // with -f, the followers take each file's size first and the history stops there: no line is
  // lost or printed twice between the two
  const following = parsed.follow ? followers(programs) : [];
  const upTo = new Map(following.map((f) => f.start()).filter((s): s is [number, number] => !!s));
  const lines = searchLogs(programs, config.logs.backups, { since: parsed.since, grep: parsed.grep, upTo });
  if (parsed.json) {
    process.stdout.write(`${JSON.stringify({ lines }, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...programs.map((p) => p.name.length));
  for (const line of lines) process.stdout.write(`${formatLogLine(line, width)}\n`);
  return parsed.follow ? follow(following, parsed.grep, width) : 0;
}
