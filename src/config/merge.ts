/**
 * updateSection / updateData: how a later layer (an extending file, the command line, a macro's
 * target) is laid over an earlier one, with `+=` and `-=` applied line by line. This reproduces
 * zc.buildout 2.13's `_update_section`, including its quirks: operators are processed sorted by
 * option name with `+=` before `-=`; `+=` on an option nobody set starts from an empty first line;
 * and an operator with no earlier layer at all stays an option literally named "x +".
 */
import { historyOf, lastOrigin, record, IMPLICIT_ORIGIN, type ConfigData, type Section, type Value } from './model';
import { pyLess } from './python-text';

function baseName(name: string, operator: '+' | '-'): string {
  let end = name.length;
  while (end > 0 && (name[end - 1] === ' ' || name[end - 1] === operator)) end--;
  return name.slice(0, end);
}

/** The key Python sorts on: (name without trailing " +", last character). */
function sortKey(name: string): [string, string] {
  return [baseName(name, '+'), name[name.length - 1] ?? ''];
}

function compareKeys(a: [string, string], b: [string, string]): number {
  // Python's str order (by code point), as buildout sorts them
  if (a[0] !== b[0]) return pyLess(a[0], b[0]) ? -1 : 1;
  return a[1] === b[1] ? 0 : pyLess(a[1], b[1]) ? -1 : 1;
}

export function addToValue(target: Value, added: Value): void {
  target.value = `${target.value}\n${added.value}`;
  record(target, { op: 'ADD', value: added.value, origin: lastOrigin(added) });
}

export function removeFromValue(target: Value, removed: Value): void {
  const drop = new Set(removed.value.split('\n'));
  target.value = target.value
    .split('\n')
    .filter((line) => !drop.has(line))
    .join('\n');
  record(target, { op: 'REMOVE', value: removed.value, origin: lastOrigin(removed) });
}

/** The options of `base` that laying `top` over it changes (`x +=` changes x). */
export function changedBy(top: Section): string[] {
  const out: string[] = [];
  for (const name of top.keys()) {
    const last = name[name.length - 1];
    out.push(last === '+' || last === '-' ? baseName(name, last) : name);
  }
  return out;
}

/** Lays `top` over `base` (mutating `base`, as zc.buildout does) and returns `base`. */
export function updateSection(base: Section, top: Section): Section {
  const layer: Section = new Map(top);
  const operators = [...top.keys()]
    .filter((name) => name.endsWith('+') || name.endsWith('-'))
    .map((name) => ({ name, key: sortKey(name) }))
    .sort((a, b) => compareKeys(a.key, b.key));
  for (const { name } of operators) {
    const operand = top.get(name)!;
    const plus = name.endsWith('+');
    const key = baseName(name, plus ? '+' : '-');
    const target = layer.get(key) ?? base.get(key) ?? { value: '', origin: IMPLICIT_ORIGIN, initial: '' };
    if (plus) addToValue(target, operand);
    else removeFromValue(target, operand);
    layer.delete(name);
    layer.set(key, target);
  }
  for (const [key, value] of layer) {
    const old = base.get(key);
    if (!old) base.set(key, value);
    else if (old !== value) overrideValue(old, value);
  }
  return base;
}

function overrideValue(old: Value, value: Value): void {
  old.value = value.value;
  record(old, { op: 'OVERRIDE', value: value.initial, origin: value.origin });
  const since = value.source ? historyOf(value).slice(1) : value.later;
  if (since) for (const entry of since) record(old, entry);
}

/** Lays every section of `top` over `base`; sections only in `top` are taken over as they are. */
export function updateData(base: ConfigData, top: ConfigData): ConfigData {
  for (const [name, section] of top) {
    const old = base.get(name);
    if (old) updateSection(old, section);
    else base.set(name, section);
  }
  return base;
}
