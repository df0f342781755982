/**
 * Generates random but meaningful buildout configurations (a seeded generator, so a failure can
 * be replayed): chains of extended files, +=/-=, macros, substitutions, $$ escapes, multi-line
 * and block values with odd indentation, conditional sections, repeated sections and options.
 */
export class Random {
  private state: number;
  constructor(seed: number) {
    // xorshift's first outputs for a small seed are tiny (seed 1 gives 0.0001, then 0.0157): a
    // hash of the seed (murmur3's finaliser) and a few discarded steps, or consecutive seeds all
    // start alike (every case of seeds 1-300 had a single file, never an extends chain)
    let h = seed >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    this.state = (h ^ (h >>> 16)) >>> 0 || 1;
    for (let i = 0; i < 4; i++) this.next();
  }
  next(): number {
    // xorshift32
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.state = x;
    return x / 0x100000000;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const SECTIONS = ['a', 'b', 'c', 'hosts', 'ports', 'part-one', 'x.y'];
const OPTIONS = ['x', 'y', 'z', 'name', 'lst', 'addr', 'opt-1', 'o.k'];
const WORDS = ['alpha', 'beta', 'two words', 'http://h:80/p', 'a=b', '#hash', ';semi', 'ü', '$', '$$', '{x}', ''];

function valueText(r: Random, sections: string[]): string {
  const pieces: string[] = [];
  const count = 1 + r.int(3);
  for (let i = 0; i < count; i++) {
    const kind = r.int(10);
    if (kind < 4) pieces.push(r.pick(WORDS));
    else if (kind < 6) pieces.push(`\${${r.chance(0.3) ? '' : r.pick(sections)}:${r.pick(OPTIONS)}}`);
    else if (kind < 8) pieces.push(`$\${${r.pick(sections)}:${r.pick(OPTIONS)}}`);
    else if (kind < 9) pieces.push(`\${:_buildout_section_name_}`);
    else pieces.push(String(r.int(100)));
  }
  return pieces.join(r.pick(['', ' ', '-']));
}

function optionLines(r: Random, sections: string[]): string[] {
  const name = r.pick(OPTIONS);
  const op = r.pick(['=', '=', '=', ' =', '= ', ' += ', ' -= ', '+=']);
  const shape = r.int(4);
  if (shape === 0) return [`${name}${op}${valueText(r, sections)}`];
  if (shape === 1) {
    const lines = [`${name}${op}${valueText(r, sections)}`];
    for (let i = 0; i < 1 + r.int(3); i++)
      lines.push(`${r.pick(['  ', '    ', '\t', ' '])}${r.chance(0.2) ? '' : valueText(r, sections)}`);
    return lines;
  }
  const lines = [`${name}${op}`];
  const indent = r.pick(['  ', '    ', '\t']);
  for (let i = 0; i < 1 + r.int(4); i++) {
    if (r.chance(0.15)) lines.push('');
    else lines.push(`${indent}${r.chance(0.2) ? '  ' : ''}${valueText(r, sections)}`);
  }
  return lines;
}

function sectionHeader(r: Random, name: string): string {
  if (r.chance(0.1))
    return `[${name}:${r.pick(['linux', 'windows', 'python3', 'not macosx', "os.name == 'posix'", 'bits32'])}]`;
  return r.chance(0.1) ? `[${name}] # trailing comment` : `[${name}]`;
}

/** Returns a map of file name -> content; the root is buildout.cfg. */
export function randomConfig(seed: number): Map<string, string> {
  const r = new Random(seed);
  const files = new Map<string, string>();
  const depth = r.int(3);
  const names = ['buildout.cfg', ...Array.from({ length: depth }, (_, i) => `base${i}.cfg`)];
  names.forEach((file, index) => {
    const lines: string[] = [];
    const deepest = index === names.length - 1;
    const sections = SECTIONS.slice(0, 3 + r.int(SECTIONS.length - 2));
    lines.push('[buildout]');
    if (index === 0) lines.push('parts =');
    if (index + 1 < names.length) lines.push(`extends = ${names[index + 1]}`);
    if (r.chance(0.3)) lines.push(`parts += ${r.pick(['one', 'two'])}`);
    if (deepest) {
      // a base layer where most references find something, so resolutions get compared
      for (const name of SECTIONS) {
        lines.push(`[${name}]`);
        for (const option of OPTIONS) {
          lines.push(`${option} = ${r.chance(0.2) ? `one\n    two` : r.pick(WORDS.filter((w) => !w.includes('$')))}`);
        }
      }
    }
    for (let s = 0; s < 2 + r.int(5); s++) {
      const name = r.pick(sections);
      if (r.chance(0.15)) lines.push('# a comment', '; another');
      lines.push(sectionHeader(r, name));
      if (r.chance(0.2)) lines.push(`<= ${r.pick(sections.filter((x) => x !== name))}`);
      for (let o = 0; o < 1 + r.int(4); o++) lines.push(...optionLines(r, sections));
    }
    files.set(file, `${lines.join(r.chance(0.1) ? '\r\n' : '\n')}\n`);
  });
  return files;
}

/**
 * A random configuration with shapes randomConfig lacks, and command-line assignments: a second
 * extended file beside the chain (diamonds), upper-case option and section names, several macro
 * sources, a macro chain with += and -=, odd and nested references, `=`, `+=` and `-=` on the
 * command line.
 */
export function randomVariant(seed: number): { files: Map<string, string>; args: string[] } {
  const files = randomConfig(seed);
  const r = new Random(seed * 7 + 3);
  const edit = (file: string, change: (text: string) => string): void => {
    files.set(file, change(files.get(file)!));
  };
  if (r.chance(0.4)) {
    files.set(
      'side.cfg',
      [
        '[buildout]',
        `[${r.pick(SECTIONS)}]`,
        `${r.pick(OPTIONS)} ${r.pick(['=', '+=', '-='])} ${r.pick(['d1', '${a:x}', 'two', '$${b:y}'])}`,
        `[${r.pick(SECTIONS)}]`,
        `<= ${r.pick(SECTIONS)}`,
        `${r.pick(OPTIONS)} = side`,
      ].join('\n') + '\n',
    );
    const both = r.chance(0.5);
    edit('buildout.cfg', (text) =>
      text.includes('extends = ')
        ? text.replace(/extends = (\S+)/, both ? 'extends = side.cfg $1' : 'extends = $1\n    side.cfg')
        : text.replace('[buildout]\n', '[buildout]\nextends = side.cfg\n'),
    );
  }
  if (r.chance(0.3))
    edit('buildout.cfg', (text) =>
      text.replace(/^(name|lst)( ?[+-]?=)/m, (_, name: string, op: string) => name.toUpperCase() + op),
    );
  if (r.chance(0.3)) edit('buildout.cfg', (text) => text.replace(/^<= (\S+)$/m, `<= $1\n   ${r.pick(SECTIONS)}`));
  const args: string[] = [];
  for (let i = 0; i < r.int(3); i++) {
    args.push(
      `${r.pick(SECTIONS)}:${r.pick(OPTIONS)}${r.pick(['=', '=', '+=', '-=', ' = '])}${r.pick(['cli', '${a:x}', '', 'two words', '$${a:y}', 'one', 'two'])}`,
    );
  }
  if (r.chance(0.2))
    edit(
      'buildout.cfg',
      (text) => `${text}[Up]\nk = ${r.pick(['1', '${a:x}'])}\n[a]\nfromup = ${r.pick(['${Up:k}', '${up:k}'])}\n`,
    );
  if (r.chance(0.2)) {
    const odd = r.pick([
      '${a:${b:x}}',
      '${a:x}}',
      '${a:x',
      '${buildout:directory}/v',
      '${buildout:parts}',
      '${a: x}',
      '${ a:x}',
      '${a:x }',
      '$$$$${a:x}',
    ]);
    edit('buildout.cfg', (text) => `${text}[b]\nodd = ${odd}\n`);
  }
  if (r.chance(0.2))
    edit(
      'buildout.cfg',
      (text) => `${text}[m1]\nk = base\nj = \${:k}-j\n[m2]\n<= m1\nk += more\n[m3]\n<= m2\nj -= \${:k}-j\nk = own\n`,
    );
  return { files, args };
}

const FLAGS = [
  'python2',
  'python3',
  'python27',
  'python36',
  'cpython',
  'pypy',
  'linux',
  'windows',
  'cygwin',
  'macosx',
  'posix',
  'bits32',
  'bits64',
  'little_endian',
  'big_endian',
  'True',
  'False',
  'None',
];
const TERMS = [
  'sys.platform',
  'os.name',
  'platform.machine()',
  'platform.system()',
  'platform.python_version()',
  'sys.version_info',
  'sys.version_info[0]',
  'sys.version_info[:2]',
  'sys.byteorder',
  'sys.maxsize',
  'sys.platform[:3]',
  "'linux'",
  "'posix'",
  "'x86_64'",
  "'Linux'",
  '3',
  '2',
  '0',
  '(3, 0)',
  '(3, 11)',
  "''",
  '1.5',
  'len(sys.platform)',
  'os.sep',
];

function condition(r: Random, depth: number): string {
  const kind = r.int(depth > 2 ? 3 : 8);
  if (kind === 0) return r.pick(FLAGS);
  if (kind === 1)
    return `${r.pick(TERMS)} ${r.pick(['==', '!=', '<', '<=', '>', '>=', 'in', 'not in'])} ${r.pick(TERMS)}`;
  if (kind === 2) return r.pick(TERMS);
  if (kind === 3) return `not ${condition(r, depth + 1)}`;
  if (kind === 4) return `${condition(r, depth + 1)} ${r.pick(['and', 'or'])} ${condition(r, depth + 1)}`;
  if (kind === 5) return `(${condition(r, depth + 1)})`;
  if (kind === 6)
    return `${r.pick(['sys.platform', 'os.name', 'platform.machine()'])}.${r.pick(['startswith', 'endswith'])}(${r.pick(["'lin'", "'x86'", "'pos'", "'64'"])})`;
  return `${r.pick(TERMS)} ${r.pick(['==', '<', 'in'])} ${r.pick(TERMS)} ${r.pick(['==', '<', '<='])} ${r.pick(TERMS)}`;
}

/**
 * A conditional section with a random expression (flags, sys/os/platform values, comparisons and
 * chains, `in`, `not`/`and`/`or`, slices, `len()`, startswith): the section's value shows whether
 * the expression held; one that Python cannot evaluate must be an error for both.
 */
export function randomCondition(seed: number): { files: Map<string, string>; args: string[] } {
  const expression = condition(new Random(seed), 0);
  return {
    files: new Map([['buildout.cfg', `[buildout]\nparts =\n[s]\nx = base\n[s:${expression}]\nx = held\n`]]),
    args: [],
  };
}
