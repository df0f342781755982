/**
 * `${section:option}` references as zc.buildout 2.13 validates them, and the chain of options
 * being substituted that circular-reference errors print.
 */

const SIMPLE = /^[-a-zA-Z0-9 ._]+\n?$/;
const VALID = /^\$\{[-a-zA-Z0-9 ._]*:[-a-zA-Z0-9 ._]+\}\n?$/;

/** A parsed `${section:option}`; `problem` is set when the text is not a valid reference. */
export interface Reference {
  section: string;
  option: string;
  problem?: string;
}

export function parseReference(ref: string): Reference {
  const parts = ref.slice(2, -1).split(':');
  if (!VALID.test(ref)) {
    if (parts.length < 2) return { section: '', option: '', problem: "doesn't contain a colon" };
    if (parts.length > 2) return { section: '', option: '', problem: 'has too many colons' };
    if (!SIMPLE.test(parts[0]))
      return { section: '', option: '', problem: 'has invalid characters in its section name' };
    if (!SIMPLE.test(parts[1]))
      return { section: '', option: '', problem: 'has invalid characters in its option name' };
  }
  return { section: parts[0], option: parts[1] };
}

/**
 * The options being substituted, outermost first, as (section, option) pairs flattened into one
 * array: pushing two names allocates nothing, where a `section:option` key per option would.
 * A long chain (thousands of options deep) also keeps an index, so a look-up stays cheap.
 */
export class Chain {
  readonly names: string[] = [];
  private index?: Map<string, number>;

  constructor(section?: string, option?: string) {
    if (section !== undefined) this.names.push(section, option!);
  }

  push(section: string, option: string): void {
    this.names.push(section, option);
    if (this.index) this.index.set(`${section}\0${option}`, this.names.length - 2);
    else if (this.names.length > 64) this.index = new Map(this.pairs());
  }

  pop(): void {
    const names = this.names;
    if (this.index) this.index.delete(`${names[names.length - 2]}\0${names[names.length - 1]}`);
    names.length -= 2;
  }

  private pairs(): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    for (let i = 0; i < this.names.length; i += 2) out.push([`${this.names[i]}\0${this.names[i + 1]}`, i]);
    return out;
  }

  /** Where (section, option) is on the chain, or -1. */
  find(section: string, option: string): number {
    if (this.index) return this.index.get(`${section}\0${option}`) ?? -1;
    const names = this.names;
    for (let i = 0; i < names.length; i += 2) if (names[i] === section && names[i + 1] === option) return i;
    return -1;
  }

  /** The chain from `from` on, closed by `section:option`: what a circular reference error prints. */
  cycle(from: number, section: string, option: string): string[] {
    const path: string[] = [];
    for (let i = from; i < this.names.length; i += 2) path.push(`${this.names[i]}:${this.names[i + 1]}`);
    path.push(`${section}:${option}`);
    return path;
  }
}
