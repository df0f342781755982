/**
 * parseIni: the buildout dialect of INI, line by line exactly as zc.buildout 2.13's
 * configparser reads it (comments only at column 0, indented continuation lines, `=>`,
 * conditional headers, repeated sections merged), except that every bad line is collected and
 * reported together with its location instead of one Python exception.
 */
import { dedent, dropLeadingBlankLines, isPySpace, PY_SPACE, pyRstrip, pyStrip } from './python-text';
import { evaluateCondition } from './condition';
import type { ConfigData, Section, Value } from './model';
import { errors } from '../errors/codes';
import type { ZetaError } from '../errors/zeta-error';
import { rememberSource } from '../errors/sources';

const S = `[${PY_SPACE}]`;
const NOT_S = PY_SPACE;
const SECTION_HEADER = new RegExp(
  `^\\[${S}*(?<name>[^${NOT_S}#[\\]:;{}]+)${S}*(?::(?<expression>[^#;]*))?${S}*(?<tail>\\]${S}*(?:[#;][^\\n]*)?)$`,
);
const OPTION_START = new RegExp(`^(?<name>[^${NOT_S}{}[\\]=:]+${S}*[-+]?)=(?<value>[^\\n]*)$`);

export interface ParsedFile {
  file: string;
  data: ConfigData;
  errors: ZetaError[];
  warnings: ZetaError[];
}

interface OpenOption {
  section: Section;
  name: string;
  value: Value;
  blockMode: boolean;
  /** File line of each line of the value as it is being built. */
  lines: number[];
}

/** Splits like Python's universal-newline readline; `terminated` tells a blank line from EOF. */
function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function parseIni(text: string, file: string): ParsedFile {
  rememberSource(file, text);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM is not part of the first header
  const data: ConfigData = new Map();
  const problems: ZetaError[] = [];
  const warnings: ZetaError[] = [];
  const lines = splitLines(text);
  const finished: OpenOption[] = [];
  let sectionName: string | undefined;
  let section: Section | undefined;
  let current: OpenOption | undefined;
  let condition = true;
  const firstSet = new Map<string, number>(); // "section\0option" -> line, for duplicate warnings

  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const line = lines[index];
    const first = line.length ? line[0] : '\n';
    if (first === '#' || first === ';') continue;

    if (isPySpace(first) && section && current) {
      if (!condition) continue;
      const piece = current.blockMode ? pyRstrip(line) : pyStrip(line);
      if (!current.blockMode && !piece) continue;
      current.value.value = `${current.value.value}\n${piece}`;
      current.lines.push(lineNo);
      continue;
    }

    const header = SECTION_HEADER.exec(line);
    if (header) {
      const name = header.groups!.name;
      const expression = header.groups!.expression;
      condition = true;
      if (expression) {
        try {
          condition = evaluateCondition(expression.replace(/\\x23/g, '#').replace(/\\x3b/g, ';'));
        } catch (error) {
          problems.push(errors.badCondition(file, lineNo, line, name, expression, (error as Error).message));
          condition = false;
        }
        // zc.buildout keeps the previous section open when a condition is false (its options are
        // skipped either way); we do the same so continuation lines are treated identically.
        if (!condition) continue;
      }
      sectionName = name;
      section = data.get(name);
      if (!section) data.set(name, (section = new Map()));
      current = undefined;
      continue;
    }

    if (!section) {
      if (!condition) {
        // zc.buildout 2.13 raises "no section headers" for the options of a false conditional
        // section that opens a file; we simply skip them, as for any other false section.
        continue;
      }
      if (!pyStrip(line)) continue;
      problems.push(errors.missingSectionHeader(file, lineNo, line));
      continue;
    }

    const rewritten = line.startsWith('=>') ? `<part-dependencies> = ${line.slice(2)}` : line;
    const option = OPTION_START.exec(rewritten);
    if (option) {
      if (!condition) continue;
      const name = pyRstrip(option.groups!.name);
      const value = pyStrip(option.groups!.value);
      const key = `${sectionName}\0${name}`;
      const earlier = firstSet.get(key);
      if (earlier !== undefined) warnings.push(errors.optionSetTwice(file, lineNo, sectionName!, name, earlier));
      else firstSet.set(key, lineNo);
      const entry: Value = { value, history: [] };
      current = { section, name, value: entry, blockMode: !value, lines: [lineNo] };
      section.set(name, entry);
      finished.push(current);
      continue;
    }
    if (!current && !pyStrip(line)) continue;
    problems.push(errors.parseLine(file, lineNo, line, sectionName));
  }

  for (const option of finished) finishValue(option, file);
  return { file, data, errors: problems, warnings };
}

/** Applies buildout's end-of-file clean-up to block values and records the origin. */
function finishValue(option: OpenOption, file: string): void {
  let value = option.value.value;
  let lines = option.lines;
  if (value.length && isPySpace(value[0])) {
    const dedented = dedent(pyRstrip(value));
    const { text, dropped } = dropLeadingBlankLines(dedented);
    value = text;
    lines = lines.slice(dropped, dropped + value.split('\n').length);
  }
  option.value.value = value;
  option.value.history = [{ op: 'SET', value, origin: { kind: 'file', file, line: option.lines[0], lines } }];
}
