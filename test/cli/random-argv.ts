/**
 * Random bin/assemble command lines for the CLI property tests (a seeded generator, so a failure
 * can be replayed): flags with and without their values (also run together, `-vc FILE`),
 * assignments good and bad, commands and their arguments, odd bytes (control characters,
 * invalid UTF-8, long and empty words), in any order. Each word is bytes: the process test hands
 * them to the program unchanged.
 */
import { Random } from '../helpers/random-config';

const FLAGS = ['-v', '-vv', '-q', '-o', '-O', '-n', '-N', '-U', '-D', '-vq', '-oN', '--debug'];
const BAD_FLAGS = ['-x', '--verbose', '-', '--', '-vx', '-c='];
const STOPS = ['--help', '-h', '--version'];
const FILES = [
  'buildout.cfg',
  'other.cfg',
  'bad.cfg',
  'missing.cfg',
  '.',
  'sub',
  '/dev/null',
  '',
  'sub/../buildout.cfg',
  'http://127.0.0.1:9/buildout.cfg',
];
const COMMANDS = ['install', 'plan', 'annotate', 'query'];
const BAD_COMMANDS = ['instal', 'Plan', 'run', 'help'];
const ARGS = [
  't',
  'u',
  'nosuch',
  'ports',
  'buildout',
  '--json',
  't:output',
  'ports:http',
  'a:b:c',
  ':',
  't:',
  ':x',
  '',
  '-v',
  'T',
];
const SECTIONS = ['t', 'u', 'ports', 'buildout', 'nosuch', '', 'a:b', 'x y', 'ü'];
const OPTIONS = [
  'inline',
  'http',
  'parts',
  'offline',
  'newest',
  'mode',
  'x',
  '',
  '+',
  '-',
  'x +',
  'allow-unknown-options',
  'socket-timeout',
  'show-picked-versions',
];
const VALUES = [
  '',
  '1',
  '9000',
  'true',
  'false',
  'maybe',
  'x y',
  '${ports:http}',
  '${nosuch:x}',
  '${',
  '$${x}',
  'u',
  't u',
  'nosuch',
  '0600',
  'a\nb',
  '=',
  ':',
  '-',
];

/** Text with odd characters: controls, quotes, shell and format characters, non-ASCII, long runs. */
function oddText(r: Random): Buffer {
  switch (r.int(8)) {
    case 0:
      return Buffer.from(String.fromCharCode(1 + r.int(31)));
    case 1:
      return Buffer.from([0xff, 0xfe, 0x80 + r.int(0x40)]); // not UTF-8
    case 2:
      return Buffer.from('x'.repeat(1 + r.int(20_000)));
    case 3:
      return Buffer.from(r.pick(['ü', '\u2028', '\u{1F600}', '\uFEFF', 'é=è', '\u00a0']));
    case 4:
      return Buffer.from(r.pick(['$(touch pwned)', '`id`', '%s%n', '\\', '"', "'", '*', '~', '../..', '|', ';']));
    case 5:
      return Buffer.from([0xed, 0xa0, 0x80]); // a UTF-8-encoded lone surrogate
    case 6:
      return Buffer.from(' '.repeat(1 + r.int(3)));
    default:
      return Buffer.from('');
  }
}

function word(r: Random, from: readonly string[], odd = 0.1): Buffer {
  return r.chance(odd) ? oddText(r) : Buffer.from(r.pick(from));
}

function assignment(r: Random): Buffer {
  const section = r.chance(0.2) ? '' : `${r.pick(SECTIONS)}:`;
  const operator = r.pick(['=', '=', '=', '=', '+=', '-=', ' = ', '==']);
  return Buffer.concat([
    Buffer.from(`${section}${r.pick(OPTIONS)}${operator}`),
    r.chance(0.1) ? oddText(r) : Buffer.from(r.pick(VALUES)),
  ]);
}

function flagWithValue(r: Random): Buffer[] {
  const flag = r.pick(['-c', '-t']);
  const value =
    flag === '-c'
      ? word(r, FILES, 0.05)
      : word(r, ['5', '0', '30', 'abc', '-1', '99999999999999999999', '', '1.5'], 0.05);
  switch (r.int(4)) {
    case 0:
      return [Buffer.from(flag)]; // the value is missing (or the next word takes its place)
    case 1:
      return [Buffer.concat([Buffer.from(flag), value])]; // -cFILE
    case 2:
      return [Buffer.concat([Buffer.from(`-${r.pick(['v', 'q', 'o'])}${flag.slice(1)}`), value])]; // -vcFILE
    default:
      return [Buffer.from(flag), value];
  }
}

/** One command line: words before the command (flags, assignments), maybe a command and its words. */
export function randomArgv(r: Random): Buffer[] {
  const argv: Buffer[] = [];
  for (let i = 0, n = r.int(4); i < n; i++) {
    switch (r.int(10)) {
      case 0:
      case 1:
        argv.push(...flagWithValue(r));
        break;
      case 2:
      case 3:
      case 4:
      case 5:
        argv.push(assignment(r));
        break;
      case 6:
      case 7:
        argv.push(word(r, FLAGS, 0));
        break;
      case 8:
        argv.push(r.chance(0.3) ? Buffer.from(r.pick(STOPS)) : word(r, BAD_FLAGS, 0));
        break;
      default:
        argv.push(oddText(r));
    }
  }
  if (r.chance(0.85)) {
    argv.push(r.chance(0.1) ? word(r, BAD_COMMANDS, 0.3) : Buffer.from(r.pick(COMMANDS)));
    for (let i = 0, n = r.int(3); i < n; i++) argv.push(r.chance(0.2) ? assignment(r) : word(r, ARGS));
  }
  return argv;
}

/** The words as a user would see them typed (for failure messages and replay). */
export function showArgv(argv: Buffer[]): string {
  return argv
    .map((w) =>
      w.length > 60
        ? `${JSON.stringify(w.subarray(0, 40).toString('latin1'))}(${w.length} bytes)`
        : JSON.stringify(w.toString('latin1')),
    )
    .join(' ');
}
