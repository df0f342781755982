/**
 * A safe evaluator for the Python expressions of conditional section headers. It understands the
 * expression grammar buildout users write (literals, names, attributes, calls of the known
 * functions, subscripts and slices, not/and/or, chained comparisons, `x if c else y`, `+ - * %`)
 * and nothing else: there is no way to reach code beyond the facts in `condition-facts.ts`.
 */
import { conditionGlobals, truthy, type PyFunction, type PyObject, type PyTuple, type PyValue } from './condition-facts';

export class ConditionError extends Error {}

type Token = { kind: 'num' | 'str' | 'name' | 'op' | 'end'; text: string; value?: PyValue; pos: number };

const OPERATORS = ['**', '//', '==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', ',', '.', ':', '+', '-', '*', '/', '%'];

function readString(src: string, start: number): { value: string; end: number } {
  let i = start;
  let raw = false;
  while (/[rRuUbB]/.test(src[i])) {
    if (/[rR]/.test(src[i])) raw = true;
    i++;
  }
  const quote = src.startsWith("'''", i) || src.startsWith('"""', i) ? src.slice(i, i + 3) : src[i];
  i += quote.length;
  let out = '';
  while (i < src.length && !src.startsWith(quote, i)) {
    const ch = src[i];
    if (ch === '\\' && i + 1 < src.length) {
      const next = src[i + 1];
      if (raw) out += ch + next;
      else {
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' };
        if (next in simple) out += simple[next];
        else if (next === 'x') {
          out += String.fromCharCode(Number.parseInt(src.slice(i + 2, i + 4), 16));
          i += 2;
        } else out += ch + next;
      }
      i += 2;
      continue;
    }
    out += ch;
    i++;
  }
  if (i >= src.length) throw new ConditionError(`unterminated string starting at column ${start + 1}`);
  return { value: out, end: i + quote.length };
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === '#') break; // a trailing comment
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(\d[\d_]*)?\.?\d[\d_]*([eE][+-]?\d+)?)/.exec(src.slice(i))!;
      const text = m[0].replace(/_/g, '');
      const value = /^0[oO]/.test(text) ? Number.parseInt(text.slice(2), 8) : /^0[bB]/.test(text) ? Number.parseInt(text.slice(2), 2) : Number(text);
      tokens.push({ kind: 'num', text: m[0], value, pos: i });
      i += m[0].length;
      continue;
    }
    const isStringStart = /['"]/.test(ch) || (/[rRuUbB]/.test(ch) && /^[rRuUbB]{1,2}['"]/.test(src.slice(i, i + 3)));
    if (isStringStart) {
      const { value, end } = readString(src, i);
      tokens.push({ kind: 'str', text: src.slice(i, end), value, pos: i });
      i = end;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))![0];
      tokens.push({ kind: 'name', text: name, pos: i });
      i += name.length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new ConditionError(`unexpected character ${JSON.stringify(ch)} at column ${i + 1}`);
    tokens.push({ kind: 'op', text: op, pos: i });
    i += op.length;
  }
  tokens.push({ kind: 'end', text: '', pos: src.length });
  return tokens;
}

type Node =
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

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token { return this.tokens[this.i]; }
  private next(): Token { return this.tokens[this.i++]; }
  private isOp(text: string): boolean { const t = this.peek(); return t.kind === 'op' && t.text === text; }
  private isName(text: string): boolean { const t = this.peek(); return t.kind === 'name' && t.text === text; }
  private expect(text: string): void {
    const t = this.next();
    if (t.text !== text) throw new ConditionError(`expected ${JSON.stringify(text)} at column ${t.pos + 1}, found ${JSON.stringify(t.text || 'end of expression')}`);
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
    while (this.isName('or')) { this.next(); a = { t: 'bool', op: 'or', a, b: this.parseAnd() }; }
    return a;
  }

  private parseAnd(): Node {
    let a = this.parseNot();
    while (this.isName('and')) { this.next(); a = { t: 'bool', op: 'and', a, b: this.parseNot() }; }
    return a;
  }

  private parseNot(): Node {
    if (this.isName('not')) { this.next(); return { t: 'not', x: this.parseNot() }; }
    return this.parseComparison();
  }

  private comparisonOperator(): string | undefined {
    const t = this.peek();
    if (t.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.text)) { this.next(); return t.text; }
    if (this.isName('in')) { this.next(); return 'in'; }
    if (this.isName('not')) {
      const after = this.tokens[this.i + 1];
      if (after && after.kind === 'name' && after.text === 'in') { this.i += 2; return 'not in'; }
      return undefined;
    }
    if (this.isName('is')) {
      this.next();
      if (this.isName('not')) { this.next(); return 'is not'; }
      return 'is';
    }
    return undefined;
  }

  private parseComparison(): Node {
    const first = this.parseArith();
    const rest: Array<{ op: string; x: Node }> = [];
    for (let op = this.comparisonOperator(); op; op = this.comparisonOperator()) rest.push({ op, x: this.parseArith() });
    return rest.length ? { t: 'cmp', first, rest } : first;
  }

  private parseArith(): Node {
    let a = this.parseTerm();
    while (this.isOp('+') || this.isOp('-')) { const op = this.next().text; a = { t: 'bin', op, a, b: this.parseTerm() }; }
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
    if (this.isOp('-')) { this.next(); return { t: 'neg', x: this.parseUnary() }; }
    if (this.isOp('+')) { this.next(); return this.parseUnary(); }
    return this.parsePower();
  }

  private parsePower(): Node {
    const base = this.parsePostfix();
    if (this.isOp('**')) { this.next(); return { t: 'bin', op: '**', a: base, b: this.parseUnary() }; }
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
    throw new ConditionError(t.kind === 'end' ? 'unexpected end of expression' : `unexpected ${JSON.stringify(t.text)} at column ${t.pos + 1}`);
  }
}

function isTuple(v: PyValue): v is PyTuple { return typeof v === 'object' && v !== null && 'tuple' in v; }
function isObject(v: PyValue): v is PyObject { return typeof v === 'object' && v !== null && 'attributes' in v; }
function isFunction(v: PyValue): v is PyFunction { return typeof v === 'object' && v !== null && 'call' in v; }
export { truthy };

function items(v: PyValue): PyValue[] | undefined { return Array.isArray(v) ? v : isTuple(v) ? v.tuple : undefined; }

function typeName(v: PyValue): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (isTuple(v)) return 'tuple';
  if (isFunction(v)) return 'function';
  return 'module';
}

function numeric(v: PyValue): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

function equal(a: PyValue, b: PyValue): boolean {
  const na = numeric(a), nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  const la = items(a), lb = items(b);
  if (la && lb) return Array.isArray(a) === Array.isArray(b) && la.length === lb.length && la.every((x, i) => equal(x, lb[i]));
  return a === b;
}

function compare(a: PyValue, b: PyValue): number {
  const na = numeric(a), nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const la = items(a), lb = items(b);
  if (la && lb && Array.isArray(a) === Array.isArray(b)) {
    for (let i = 0; i < Math.min(la.length, lb.length); i++) {
      if (!equal(la[i], lb[i])) return compare(la[i], lb[i]);
    }
    return la.length - lb.length;
  }
  throw new ConditionError(`cannot order ${typeName(a)} and ${typeName(b)}`);
}

function contains(container: PyValue, item: PyValue): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new ConditionError(`'in <string>' requires a string, not ${typeName(item)}`);
    return container.includes(item);
  }
  const list = items(container);
  if (!list) throw new ConditionError(`argument of type '${typeName(container)}' is not iterable`);
  return list.some((x) => equal(x, item));
}

const STRING_METHODS: Record<string, (s: string, args: PyValue[]) => PyValue> = {
  startswith: (s, [p]) => (typeof p === 'string' ? s.startsWith(p) : (items(p) ?? []).some((x) => typeof x === 'string' && s.startsWith(x))),
  endswith: (s, [p]) => (typeof p === 'string' ? s.endsWith(p) : (items(p) ?? []).some((x) => typeof x === 'string' && s.endsWith(x))),
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  strip: (s) => s.trim(),
  split: (s, [sep]) => (typeof sep === 'string' ? s.split(sep) : s.trim().split(/\s+/).filter(Boolean)),
};

function evaluate(node: Node, scope: Map<string, PyValue>): PyValue {
  switch (node.t) {
    case 'lit': return node.v;
    case 'name':
      if (!scope.has(node.name)) throw new ConditionError(`name '${node.name}' is not defined`);
      return scope.get(node.name)!;
    case 'attr': {
      const obj = evaluate(node.obj, scope);
      if (isObject(obj) && node.name in obj.attributes) return obj.attributes[node.name]();
      if (typeof obj === 'string' && node.name in STRING_METHODS) {
        const method = STRING_METHODS[node.name];
        return { name: node.name, call: (args) => method(obj, args) };
      }
      throw new ConditionError(`'${isObject(obj) ? obj.name : typeName(obj)}' has no attribute '${node.name}' that a condition may use`);
    }
    case 'call': {
      const fn = evaluate(node.fn, scope);
      if (!isFunction(fn)) throw new ConditionError(`'${typeName(fn)}' object is not callable`);
      return fn.call(node.args.map((a) => evaluate(a, scope)));
    }
    case 'index': {
      const obj = evaluate(node.obj, scope);
      const seq = typeof obj === 'string' ? obj : items(obj);
      if (seq === undefined) throw new ConditionError(`'${typeName(obj)}' object is not subscriptable`);
      if ('slice' in node.index) {
        const [s, e] = node.index.slice.map((x) => (x ? numeric(evaluate(x, scope)) : undefined));
        const sliced = seq.slice(s, e);
        return typeof sliced === 'string' ? sliced : isTuple(obj) ? { tuple: sliced as PyValue[] } : (sliced as PyValue[]);
      }
      const raw = numeric(evaluate(node.index, scope));
      if (raw === undefined) throw new ConditionError('indices must be integers');
      const at = raw < 0 ? seq.length + raw : raw;
      if (at < 0 || at >= seq.length) throw new ConditionError('index out of range');
      return seq[at];
    }
    case 'list': {
      const values = node.items.map((x) => evaluate(x, scope));
      return node.tuple ? { tuple: values } : values;
    }
    case 'not': return !truthy(evaluate(node.x, scope));
    case 'neg': {
      const n = numeric(evaluate(node.x, scope));
      if (n === undefined) throw new ConditionError('bad operand for unary -');
      return -n;
    }
    case 'bool': {
      const a = evaluate(node.a, scope);
      if (node.op === 'and') return truthy(a) ? evaluate(node.b, scope) : a;
      return truthy(a) ? a : evaluate(node.b, scope);
    }
    case 'ifelse': return truthy(evaluate(node.cond, scope)) ? evaluate(node.a, scope) : evaluate(node.b, scope);
    case 'cmp': {
      let left = evaluate(node.first, scope);
      for (const { op, x } of node.rest) {
        const right = evaluate(x, scope);
        let ok: boolean;
        switch (op) {
          case '==': ok = equal(left, right); break;
          case '!=': ok = !equal(left, right); break;
          case '<': ok = compare(left, right) < 0; break;
          case '<=': ok = compare(left, right) <= 0; break;
          case '>': ok = compare(left, right) > 0; break;
          case '>=': ok = compare(left, right) >= 0; break;
          case 'in': ok = contains(right, left); break;
          case 'not in': ok = !contains(right, left); break;
          case 'is': ok = left === right; break;
          default: ok = left !== right; break;
        }
        if (!ok) return false;
        left = right;
      }
      return true;
    }
    case 'bin': {
      const a = evaluate(node.a, scope), b = evaluate(node.b, scope);
      if (node.op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
      if (node.op === '+' && items(a) && items(b) && Array.isArray(a) === Array.isArray(b)) {
        const joined = [...items(a)!, ...items(b)!];
        return Array.isArray(a) ? joined : { tuple: joined };
      }
      if (node.op === '%' && typeof a === 'string') throw new ConditionError('string formatting is not supported in conditions');
      const na = numeric(a), nb = numeric(b);
      if (na === undefined || nb === undefined) throw new ConditionError(`unsupported operand types for ${node.op}: '${typeName(a)}' and '${typeName(b)}'`);
      if ((node.op === '/' || node.op === '//' || node.op === '%') && nb === 0) throw new ConditionError('division by zero');
      switch (node.op) {
        case '+': return na + nb;
        case '-': return na - nb;
        case '*': return na * nb;
        case '/': return na / nb;
        case '//': return Math.floor(na / nb);
        case '%': return ((na % nb) + nb) % nb;
        default: return na ** nb;
      }
    }
  }
}

let globals: Map<string, PyValue> | undefined;

/** Evaluates a header expression the way zc.buildout does: `[expr]` is a list, item 0 decides. */
export function evaluateCondition(expression: string): boolean {
  const nodes = new Parser(tokenize(expression)).parseList();
  globals ??= conditionGlobals();
  return truthy(evaluate(nodes[0], globals));
}
