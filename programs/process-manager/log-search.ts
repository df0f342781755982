/**
 * Reading the programs' logs as one: the current and rotated stdout and stderr files of each
 * program (log-rotation.ts keeps `FILE.1` .. `FILE.N`, oldest last), every line with the time it
 * was written. pm2 stamps each line as it writes it (`time: true` in the ecosystem: local time,
 * `2026-01-31T23:59:59: text`); a line without a stamp (written before the stamp was kept)
 * takes the time of the line before it, or its file's modification time. `supervisorctl logs`
 * and the panel's log search both read through here.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Program } from './config';

export interface LogLine {
  program: string;
  stream: 'stdout' | 'stderr';
  /** ms since the epoch (second resolution: pm2's stamp) */
  ts: number;
  text: string;
}

export interface LogQuery {
  since?: number;
  grep?: RegExp;
  /** Only the last `limit` matching lines. */
  limit?: number;
  /**
   * inode -> bytes: read a file only up to there (`logs -f` follows each file from the size it
   * had when it began; the history must stop at the same byte, whatever the file is named by then).
   */
  upTo?: Map<number, number>;
}

const STAMP = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d): ?/;

/** The stamp's time (local, as pm2 writes it) and the text after it. */
export function parseLine(line: string): { ts: number; text: string } | undefined {
  const m = STAMP.exec(line);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  return { ts: new Date(y, mo - 1, d, h, mi, s).getTime(), text: line.slice(m[0].length) };
}

/** The files of a program's stream, oldest first: FILE.N .. FILE.1, FILE. */
export function streamFiles(file: string, backups: number): string[] {
  const files: string[] = [];
  for (let n = backups; n >= 1; n--) files.push(`${file}.${n}`);
  return [...files, file];
}

function mtime(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The lines of one file as LogLines, the unstamped ones timed by the line before them. */
export function readLogFile(
  file: string,
  program: string,
  stream: LogLine['stream'],
  upTo?: Map<number, number>,
): LogLine[] {
  let text: string;
  try {
    const bytes = readFileSync(file);
    const limit = upTo?.get(statSync(file).ino);
    text = (limit === undefined ? bytes : bytes.subarray(0, limit)).toString('utf8');
  } catch {
    return [];
  }
  let last = mtime(file) ?? 0;
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => {
    const parsed = parseLine(line);
    if (parsed) last = parsed.ts;
    return { program, stream, ts: parsed?.ts ?? last, text: parsed?.text ?? line };
  });
}

function matches(line: LogLine, query: LogQuery): boolean {
  return (query.since === undefined || line.ts >= query.since) && (!query.grep || query.grep.test(line.text));
}

/** Every matching line of the programs, in the order they were written. */
export function searchLogs(programs: Program[], backups: number, query: LogQuery = {}): LogLine[] {
  const found: LogLine[] = [];
  for (const program of programs) {
    const streams: Array<[string, LogLine['stream']]> = [[program.outLog, 'stdout']];
    if (program.errLog !== program.outLog) streams.push([program.errLog, 'stderr']);
    for (const [file, stream] of streams)
      for (const each of streamFiles(file, backups)) {
        // a file last written before `since` holds nothing newer: not read at all
        const modified = mtime(each);
        if (modified === undefined || (query.since !== undefined && modified < query.since - 1000)) continue;
        for (const line of readLogFile(each, program.name, stream, query.upTo))
          if (matches(line, query)) found.push(line);
      }
  }
  // stable: lines of the same second keep their file order (older files were read first)
  found.sort((a, b) => a.ts - b.ts);
  return query.limit !== undefined ? found.slice(-query.limit) : found;
}

/** A line as `supervisorctl logs` prints it: local time, program, stream, text. */
export function formatLogLine(line: LogLine, width: number): string {
  const local = new Date(line.ts - new Date(line.ts).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
  const stream = line.stream === 'stderr' ? ' (stderr)' : '';
  return `${local} ${line.program.padEnd(width)}${stream} ${line.text}`;
}
