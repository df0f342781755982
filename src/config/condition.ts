/**
 * A safe evaluator for the Python expressions of conditional section headers. It understands the
 * expression grammar buildout users write (literals, names, attributes, calls of the known
 * functions, subscripts and slices, not/and/or, chained comparisons, `x if c else y`, `+ - * %`)
 * and nothing else: there is no way to reach code beyond the facts in `condition-facts.ts`.
 */
import { conditionGlobals, type PyValue } from './condition-facts';
import { ConditionError, tokenize } from './condition-tokens';
import { Parser, type Node } from './condition-parse';
import {
  compare,
  contains,
  equal,
  isFunction,
  isObject,
  isTuple,
  items,
  numeric,
  STRING_METHODS,
  truthy,
  typeName,
} from './condition-values';

export { ConditionError };

function evaluate(node: Node, scope: Map<string, PyValue>): PyValue {
  switch (node.t) {
    case 'lit':
      return node.v;
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
      throw new ConditionError(
        `'${isObject(obj) ? obj.name : typeName(obj)}' has no attribute '${node.name}' that a condition may use`,
      );
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
        return typeof sliced === 'string'
          ? sliced
          : isTuple(obj)
            ? { tuple: sliced as PyValue[] }
            : (sliced as PyValue[]);
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
    case 'not':
      return !truthy(evaluate(node.x, scope));
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
    case 'ifelse':
      return truthy(evaluate(node.cond, scope)) ? evaluate(node.a, scope) : evaluate(node.b, scope);
    case 'cmp': {
      let left = evaluate(node.first, scope);
      for (const { op, x } of node.rest) {
        const right = evaluate(x, scope);
        let ok: boolean;
        switch (op) {
          case '==':
            ok = equal(left, right);
            break;
          case '!=':
            ok = !equal(left, right);
            break;
          case '<':
            ok = compare(left, right) < 0;
            break;
          case '<=':
            ok = compare(left, right) <= 0;
            break;
          case '>':
            ok = compare(left, right) > 0;
            break;
          case '>=':
            ok = compare(left, right) >= 0;
            break;
          case 'in':
            ok = contains(right, left);
            break;
          case 'not in':
            ok = !contains(right, left);
            break;
          case 'is':
            ok = left === right;
            break;
          default:
            ok = left !== right;
            break;
        }
        if (!ok) return false;
        left = right;
      }
      return true;
    }
    case 'bin': {
      const a = evaluate(node.a, scope),
        b = evaluate(node.b, scope);
      if (node.op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
      if (node.op === '+' && items(a) && items(b) && Array.isArray(a) === Array.isArray(b)) {
        const joined = [...items(a)!, ...items(b)!];
        return Array.isArray(a) ? joined : { tuple: joined };
      }
      if (node.op === '%' && typeof a === 'string')
        throw new ConditionError('string formatting is not supported in conditions');
      const na = numeric(a),
        nb = numeric(b);
      if (na === undefined || nb === undefined)
        throw new ConditionError(`unsupported operand types for ${node.op}: '${typeName(a)}' and '${typeName(b)}'`);
      if ((node.op === '/' || node.op === '//' || node.op === '%') && nb === 0)
        throw new ConditionError('division by zero');
      switch (node.op) {
        case '+':
          return na + nb;
        case '-':
          return na - nb;
        case '*':
          return na * nb;
        case '/':
          return na / nb;
        case '//':
          return Math.floor(na / nb);
        case '%':
          return ((na % nb) + nb) % nb;
        default:
          return na ** nb;
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
