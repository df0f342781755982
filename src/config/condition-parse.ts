/**
 * The parser of conditional-section expressions: Python's expression grammar as far as header
 * conditions use it (literals, names, attributes, calls, subscripts and slices, not/and/or,
 * chained comparisons, `x if c else y`, arithmetic), producing a small syntax tree.
 */
import type { PyValue } from './condition-facts';
import { ConditionError, type Token } from './condition-tokens';

export type Node =
  | { t: 'lit'; v: PyValue }
  | { t: 'name'; name: string }
  | { t: 'attr'; obj: Node; name: string }
  | { t: 'call'; fn: Node; args: Node[] }
  | { t: 'index'; obj: Node; index: Node | { slice: [Node | null, Node | null] } }
  | { t: 'list'; items: Node[]; tuple: boolean }
  | { t: 'not'; x: Node }
  | { t: 'neg'; x: Node }
  | { t: 'bool'; op: 'and' | 'or'; a: Node; b: Node }
  | { t: 'cmp'; first: Node; rest: Array<{ op: string; x: Node }> }
  | { t: 'bin'; op: string; a: Node; b: Node }
  | { t: 'ifelse'; cond: Node; a: Node; b: Node };

export class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i];
  }
  private next(): Token {
    return this.tokens[this.i++];
  }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }
  private isName(text: string): boolean {
    const t = this.peek();
    return t.kind === 'name' && t.text === text;
  }
  private expect(text: string): void {
    const t = this.next();
    if (t.text !== text)
      throw new ConditionError(
        `expected ${JSON.stringify(text)} at column ${t.pos + 1}, found ` +
          `${JSON.stringify(t.text || 'end of expression')}`,
      );
  }

  /** The whole header expression is a comma-separated list; buildout takes its first item. */
  parseList(): Node[] {
    const items = [this.parseTest()];
    while (this.isOp(',')) {
      this.next();
      if (this.peek().kind === 'end') break;
      items.push(this.parseTest());
    }
    const t = this.peek();
    if (t.kind !== 'end') throw new ConditionError(`unexpected ${JSON.stringify(t.text)} at column ${t.pos + 1}`);
    return items;
  }

  private parseTest(): Node {
    const a = this.parseOr();
    if (this.isName('if')) {
      this.next();
      const cond = this.parseOr();
      if (!this.isName('else')) throw new ConditionError('expected "else" in conditional expression');
      this.next();
      return { t: 'ifelse', cond, a, b: this.parseTest() };
    }
    return a;
  }

  private parseOr(): Node {
    let a = this.parseAnd();
    while (this.isName('or')) {
      this.next();
      a = { t: 'bool', op: 'or', a, b: this.parseAnd() };
    }
    return a;
  }

  private parseAnd(): Node {
    let a = this.parseNot();
    while (this.isName('and')) {
      this.next();
      a = { t: 'bool', op: 'and', a, b: this.parseNot() };
    }
    return a;
  }

  private parseNot(): Node {
    if (this.isName('not')) {
      this.next();
      return { t: 'not', x: this.parseNot() };
    }
    return this.parseComparison();
  }

  private comparisonOperator(): string | undefined {
    const t = this.peek();
    if (t.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      this.next();
      return t.text;
    }
    if (this.isName('in')) {
      this.next();
      return 'in';
    }
    if (this.isName('not')) {
      const after = this.tokens[this.i + 1];
      if (after && after.kind === 'name' && after.text === 'in') {
        this.i += 2;
        return 'not in';
      }
      return undefined;
    }
    if (this.isName('is')) {
      this.next();
      if (this.isName('not')) {
        this.next();
        return 'is not';
      }
      return 'is';
    }
    return undefined;
  }

  private parseComparison(): Node {
    const first = this.parseArith();
    const rest: Array<{ op: string; x: Node }> = [];
    for (let op = this.comparisonOperator(); op; op = this.comparisonOperator())
      rest.push({ op, x: this.parseArith() });
    return rest.length ? { t: 'cmp', first, rest } : first;
  }

  private parseArith(): Node {
    let a = this.parseTerm();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text;
      a = { t: 'bin', op, a, b: this.parseTerm() };
    }
    return a;
  }

  private parseTerm(): Node {
    let a = this.parseUnary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('//') || this.isOp('%')) {
      const op = this.next().text;
      a = { t: 'bin', op, a, b: this.parseUnary() };
    }
    return a;
  }

  private parseUnary(): Node {
    if (this.isOp('-')) {
      this.next();
      return { t: 'neg', x: this.parseUnary() };
    }
    if (this.isOp('+')) {
      this.next();
      return this.parseUnary();
    }
    return this.parsePower();
  }

  private parsePower(): Node {
    const base = this.parsePostfix();
    if (this.isOp('**')) {
      this.next();
      return { t: 'bin', op: '**', a: base, b: this.parseUnary() };
    }
    return base;
  }

  private parsePostfix(): Node {
    let node = this.parseAtom();
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const t = this.next();
        if (t.kind !== 'name') throw new ConditionError(`expected an attribute name at column ${t.pos + 1}`);
        node = { t: 'attr', obj: node, name: t.text };
      } else if (this.isOp('(')) {
        this.next();
        const args: Node[] = [];
        while (!this.isOp(')')) {
          args.push(this.parseTest());
          if (!this.isOp(',')) break;
          this.next();
        }
        this.expect(')');
        node = { t: 'call', fn: node, args };
      } else if (this.isOp('[')) {
        this.next();
        let index: Node | { slice: [Node | null, Node | null] };
        const start = this.isOp(':') ? null : this.parseTest();
        if (this.isOp(':')) {
          this.next();
          const end = this.isOp(']') ? null : this.parseTest();
          index = { slice: [start, end] };
        } else index = start!;
        this.expect(']');
        node = { t: 'index', obj: node, index };
      } else return node;
    }
  }

  private parseAtom(): Node {
    const t = this.next();
    if (t.kind === 'num') return { t: 'lit', v: t.value as number };
    if (t.kind === 'str') {
      let value = t.value as string;
      while (this.peek().kind === 'str') value += this.next().value as string; // implicit concatenation
      return { t: 'lit', v: value };
    }
    if (t.kind === 'name') return { t: 'name', name: t.text };
    if (t.kind === 'op' && (t.text === '(' || t.text === '[')) {
      const close = t.text === '(' ? ')' : ']';
      const items: Node[] = [];
      let comma = false;
      while (!this.isOp(close)) {
        items.push(this.parseTest());
        if (!this.isOp(',')) break;
        this.next();
        comma = true;
      }
      this.expect(close);
      if (close === ')' && items.length === 1 && !comma) return items[0];
      return { t: 'list', items, tuple: close === ')' };
    }
    throw new ConditionError(
      t.kind === 'end' ? 'unexpected end of expression' : `unexpected ${JSON.stringify(t.text)} at column ${t.pos + 1}`,
    );
  }
}
