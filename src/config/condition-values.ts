/**
 * Python's semantics for the values a condition computes: truthiness, equality between numbers
 * and booleans, ordering of tuples, `in`, and the string methods conditions use.
 */
import { truthy, type PyFunction, type PyObject, type PyTuple, type PyValue } from './condition-facts';
import { ConditionError } from './condition-tokens';

export function isTuple(v: PyValue): v is PyTuple {
  return typeof v === 'object' && v !== null && 'tuple' in v;
}
export function isObject(v: PyValue): v is PyObject {
  return typeof v === 'object' && v !== null && 'attributes' in v;
}
export function isFunction(v: PyValue): v is PyFunction {
  return typeof v === 'object' && v !== null && 'call' in v;
}

export function items(v: PyValue): PyValue[] | undefined {
  return Array.isArray(v) ? v : isTuple(v) ? v.tuple : undefined;
}

export function typeName(v: PyValue): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (isTuple(v)) return 'tuple';
  if (isFunction(v)) return 'function';
  return 'module';
}

export function numeric(v: PyValue): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

export function equal(a: PyValue, b: PyValue): boolean {
  const na = numeric(a),
    nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  const la = items(a),
    lb = items(b);
  if (la && lb)
    return Array.isArray(a) === Array.isArray(b) && la.length === lb.length && la.every((x, i) => equal(x, lb[i]));
  return a === b;
}

export function compare(a: PyValue, b: PyValue): number {
  const na = numeric(a),
    nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const la = items(a),
    lb = items(b);
  if (la && lb && Array.isArray(a) === Array.isArray(b)) {
    for (let i = 0; i < Math.min(la.length, lb.length); i++) {
      if (!equal(la[i], lb[i])) return compare(la[i], lb[i]);
    }
    return la.length - lb.length;
  }
  throw new ConditionError(`cannot order ${typeName(a)} and ${typeName(b)}`);
}

export function contains(container: PyValue, item: PyValue): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new ConditionError(`'in <string>' requires a string, not ${typeName(item)}`);
    return container.includes(item);
  }
  const list = items(container);
  if (!list) throw new ConditionError(`argument of type '${typeName(container)}' is not iterable`);
  return list.some((x) => equal(x, item));
}

export const STRING_METHODS: Record<string, (s: string, args: PyValue[]) => PyValue> = {
  startswith: (s, [p]) =>
    typeof p === 'string' ? s.startsWith(p) : (items(p) ?? []).some((x) => typeof x === 'string' && s.startsWith(x)),
  endswith: (s, [p]) =>
    typeof p === 'string' ? s.endsWith(p) : (items(p) ?? []).some((x) => typeof x === 'string' && s.endsWith(x)),
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  strip: (s) => s.trim(),
  split: (s, [sep]) => (typeof sep === 'string' ? s.split(sep) : s.trim().split(/\s+/).filter(Boolean)),
};

export { truthy };
