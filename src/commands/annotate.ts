/**
 * annotate: every resolved value with where it came from. Text form: value, the raw value when
 * substitution changed it, and the history (file:line of each assignment, +=, -=, macro copy,
 * override). `--json` prints the contract form {"sections": {"<section>": {"<option>": "<value>"}}}.
 */
import type { LoadedConfig } from '../config/load-config';
import type { HistoryEntry, Origin } from '../config/model';
import { displayPath } from '../util/paths';
import type { Palette } from '../util/color';
import { nearest } from '../util/suggest';
import { cliErrors } from '../errors/codes';
import { pySort } from '../config/python-text';

const INTEGER_LIKE = /^(0|[1-9][0-9]*)$/;

function isDigit(text: string): boolean {
  const code = text.charCodeAt(0);
  return code >= 0x30 && code <= 0x39;
}

/**
 * The JSON contract. One native JSON.stringify of plain objects is much faster than building the
 * text by hand, but JavaScript objects list integer-like keys ("1") first; only then is the text
 * assembled by hand, to keep the files' option order.
 */
export function annotateJson(config: LoadedConfig, sections?: string[]): string {
  const names = sections?.length ? sections : [...config.data.keys()];
  const out: Record<string, Record<string, string>> = {};
  let reorders = false;
  for (const name of names) {
    const options: Record<string, string> = (out[name] = {});
    if (isDigit(name)) reorders ||= INTEGER_LIKE.test(name);
    config.resolver.forEachOption(name, (option, value) => {
      const first = option.charCodeAt(0); // isDigit inline: this runs for every option
      if (first >= 0x30 && first <= 0x39) reorders ||= INTEGER_LIKE.test(option);
      options[option] = value;
    });
  }
  if (!reorders) return `${JSON.stringify({ sections: out })}\n`;
  const resolved = names.map((name) => [name, config.resolver.options(name)] as const);
  const parts = resolved.map(([name, options]) => {
    const body = [...options].map(([option, value]) => `${JSON.stringify(option)}:${JSON.stringify(value)}`);
    return `${JSON.stringify(name)}:{${body.join(',')}}`;
  });
  return `{"sections":{${parts.join(',')}}}\n`;
}

function originText(origin: Origin): string {
  switch (origin.kind) {
    case 'file':
      return `${displayPath(origin.file)}:${origin.line}`;
    case 'default':
      return 'default';
    case 'computed':
      return 'computed';
    case 'implicit':
      return '(nothing before)';
    case 'command-line':
      return `command line (${origin.argument})`;
  }
}

const LABEL: Record<HistoryEntry['op'], string> = {
  SET: 'set',
  OVERRIDE: 'overridden',
  ADD: '+=',
  REMOVE: '-=',
  DIRECTORY: 'made absolute',
  MACRO: 'copied',
};

function indentValue(value: string, indent: string): string {
  return value.split('\n').join(`\n${indent}`);
}

export function annotateText(config: LoadedConfig, palette: Palette, verbose: boolean, sections?: string[]): string {
  const out: string[] = [];
  const names = sections?.length ? sections : pySort([...config.data.keys()]);
  for (const name of names) {
    if (!config.data.has(name)) {
      const near = nearest(name, config.data.keys());
      const hint = near
        ? `did you mean [${name === near ? name : near}]?`
        : 'run annotate without names to see them all.';
      throw cliErrors.noSuchSection(name, hint);
    }
    const resolved = config.resolver.options(name);
    const state = config.resolver.section(name);
    out.push(palette.bold(`[${name}]`));
    for (const option of pySort([...resolved.keys()])) {
      const value = resolved.get(option)!;
      const raw = state.raw.get(option);
      out.push(`${palette.cyan(option)} = ${indentValue(value, ' '.repeat(option.length + 3))}`);
      if (!raw) {
        out.push(palette.dim("    derived by the part's recipe"));
        continue;
      }
      if (raw.value !== value) out.push(palette.dim(`    raw: ${indentValue(raw.value, '         ')}`));
      for (const entry of config.resolver.historyOf(name, option)) {
        const label = LABEL[entry.op].padEnd(13);
        const from = entry.op === 'MACRO' ? `from [${entry.from}], ` : '';
        const what =
          verbose || entry.op === 'ADD' || entry.op === 'REMOVE' ? `  ${indentValue(entry.value, '        ')}` : '';
        out.push(palette.dim(`    ${label} ${from}${originText(entry.origin)}${what}`));
      }
    }
    out.push('');
  }
  return out.join('\n');
}
