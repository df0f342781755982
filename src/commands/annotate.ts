/**
 * annotate: every resolved value with where it came from. Text form: value, the raw value when
 * substitution changed it, and the history (file:line of each assignment, +=, -=, macro copy,
 * override). `--json` prints the contract form {"sections": {"<section>": {"<option>": "<value>"}}}.
 */
import type { LoadedConfig } from '../config/load-config';
import type { HistoryEntry, Origin } from '../config/model';
import { displayPath } from '../util/paths';
import type { Palette } from '../util/color';
import { ZetaError } from '../errors/zeta-error';
import { nearest } from '../util/suggest';

/** The JSON contract, written by hand to keep the files' option order (JS objects reorder "1"). */
export function annotateJson(config: LoadedConfig, sections?: string[]): string {
  const parts: string[] = [];
  for (const name of sections?.length ? sections : config.data.keys()) {
    const options = config.resolver.options(name);
    const body: string[] = [];
    for (const [option, value] of options) body.push(`${JSON.stringify(option)}:${JSON.stringify(value)}`);
    parts.push(`${JSON.stringify(name)}:{${body.join(',')}}`);
  }
  return `{"sections":{${parts.join(',')}}}\n`;
}

function originText(origin: Origin): string {
  switch (origin.kind) {
    case 'file': return `${displayPath(origin.file)}:${origin.line}`;
    case 'default': return 'default';
    case 'computed': return 'computed';
    case 'implicit': return '(nothing before)';
    case 'command-line': return `command line (${origin.argument})`;
  }
}

const LABEL: Record<HistoryEntry['op'], string> = {
  SET: 'set', OVERRIDE: 'overridden', ADD: '+=', REMOVE: '-=', DIRECTORY: 'made absolute', MACRO: 'copied',
};

function indentValue(value: string, indent: string): string {
  return value.split('\n').join(`\n${indent}`);
}

export function annotateText(config: LoadedConfig, palette: Palette, verbose: boolean, sections?: string[]): string {
  const out: string[] = [];
  const names = sections?.length ? sections : [...config.data.keys()].sort();
  for (const name of names) {
    if (!config.data.has(name)) {
      const near = nearest(name, config.data.keys());
      throw new ZetaError('MISSING_SECTION', `there is no section [${name}]`, { hint: near ? `did you mean [${name === near ? name : near}]?` : 'run annotate without names to see them all.' });
    }
    const resolved = config.resolver.options(name);
    const state = config.resolver.section(name);
    out.push(palette.bold(`[${name}]`));
    for (const option of [...resolved.keys()].sort()) {
      const value = resolved.get(option)!;
      const raw = state.raw.get(option);
      out.push(`${palette.cyan(option)} = ${indentValue(value, ' '.repeat(option.length + 3))}`);
      if (!raw) {
        out.push(palette.dim('    derived by the part\'s recipe'));
        continue;
      }
      if (raw.value !== value) out.push(palette.dim(`    raw: ${indentValue(raw.value, '         ')}`));
      for (const entry of raw.history) {
        const label = LABEL[entry.op].padEnd(13);
        const from = entry.op === 'MACRO' ? `from [${entry.from}], ` : '';
        const what = verbose || entry.op === 'ADD' || entry.op === 'REMOVE' ? `  ${indentValue(entry.value, '        ')}` : '';
        out.push(palette.dim(`    ${label} ${from}${originText(entry.origin)}${what}`));
      }
    }
    out.push('');
  }
  return out.join('\n');
}
