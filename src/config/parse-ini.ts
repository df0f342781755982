/**
 * parseIni: the buildout dialect of INI, line by line exactly as zc.buildout 2.13's
 * configparser reads it (comments only at column 0, indented continuation lines, `=>`,
 * conditional headers, repeated sections merged), except that every bad line is collected and
 * reported together with its location instead of one Python exception.
 * It runs on every line of every file, so it keeps to one regular expression per option line
 * and one small object per option.
 */
import { dedent, dropLeadingBlankLines, isPySpaceCode, PY_SPACE, pyRstrip, pyStrip } from './python-text';
import { FileValue, type ConfigData, type Origin, type Section, type Value } from './model';
import { errors } from '../errors/codes';
import type { ZetaError } from '../errors/zeta-error';
import { rememberSource } from '../errors/sources';

const S = `[${PY_SPACE}]`;
const NOT_S = PY_SPACE;
/** buildout's section header; groups: 1 the name, 2 the condition (numbered: a groups object per match costs). */
const SECTION_HEADER = new RegExp(`^\\[${S}*([^${NOT_S}#[\\]:;{}]+)${S}*(?::([^#;]*))?${S}*\\]${S}*(?:[#;][^\\n]*)?$`);
/**
 * buildout's option_start, `^([^\s{}[\]=:]+\s*[-+]?)=(.*)$` with Python's whitespace, matched in
 * place in the file's text (sticky, from a line's start to its end: whitespace inside a line is
 * Python's without "\n"), so an option line costs no string of its own. The name's trailing and
 * the value's surrounding whitespace are matched outside the groups: the regular expression
 * engine does the stripping, where a JavaScript loop would run interpreted in a cold process.
 * Groups: 1 the name, 2 the whitespace after it, 3 an operator (`+`/`-`), 4 the stripped value.
 * As in buildout, whitespace may come before the operator but not between it and `=`: `x + = 1`
 * is not an option line.
 */
const S_IN_LINE = `[${PY_SPACE.replace('\\n', '').replace('\\r', '')}]`;
const OPTION_AT = new RegExp(
  `([^${NOT_S}{}[\\]=:]+)(${S_IN_LINE}*)([-+]?)=${S_IN_LINE}*((?:[^\\n]*[^${NOT_S}])?)${S_IN_LINE}*(?![^\\n])`,
  'y',
);

export interface ParsedFile {
  file: string;
  data: ConfigData;
  errors: ZetaError[];
  warnings: ZetaError[];
}

type FileOrigin = Origin & { kind: 'file' };

export function parseIni(text: string, file: string): ParsedFile {
  rememberSource(file, text);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM is not part of the first header
  const data: ConfigData = new Map();
  const problems: ZetaError[] = [];
  const warnings: ZetaError[] = [];
  // Python's universal newlines: \r\n and \r end lines too
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  const length = text.length;
  const blocks: Value[] = []; // values whose first line was empty: dedented at the end
  const continued: Value[] = []; // values with continuation lines: their `initial` is set at the end
  let sectionName: string | undefined;
  let section: Section | undefined;
  let current: Value | undefined;
  let currentBlock = false;
  let condition = true;

  // lines are walked in place: only the lines that need it (headers, continuations, errors)
  // become strings of their own
  let index = -1;
  for (let next = 0; next < length;) {
    const lineStart = next;
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = length;
    next = lineEnd + 1;
    index++;
    const code = lineStart < lineEnd ? text.charCodeAt(lineStart) : 0x0a; // an empty line was "\n" for Python
    if (code === 0x23 || code === 0x3b) continue; // # or ; in column 0: a comment
    let line: string | undefined;

    // (the common first characters are tested inline: a call per line is costly in a cold process)
    if (
      current !== undefined &&
      (code === 0x20 || code === 0x0a || code === 0x09 || (code > 0x20 && code < 0x7f ? false : isPySpaceCode(code)))
    ) {
      if (!condition) continue;
      line = text.slice(lineStart, lineEnd);
      const piece = currentBlock ? pyRstrip(line) : pyStrip(line);
      if (!currentBlock && !piece) continue;
      current.value = `${current.value}\n${piece}`;
      const origin = current.origin as FileOrigin;
      if (!origin.lines) {
        origin.lines = [origin.line];
        continued.push(current);
      }
      origin.lines.push(index + 1);
      continue;
    }

    const header = code === 0x5b ? SECTION_HEADER.exec((line = text.slice(lineStart, lineEnd))) : null;
    if (header) {
      const name = header[1];
      const expression = header[2];
      condition = true;
      if (expression) {
        try {
          // the evaluator is loaded only for files that have conditional sections
          const { evaluateCondition } = require('./condition') as typeof import('./condition');
          condition = evaluateCondition(expression.replace(/\\x23/g, '#').replace(/\\x3b/g, ';'));
        } catch (error) {
          problems.push(errors.badCondition(file, index + 1, line!, name, expression, (error as Error).message));
          condition = false;
        }
        // zc.buildout keeps the previous section open when a condition is false (its options
        // are skipped either way); so do we, so continuation lines are treated identically.
        if (!condition) continue;
      }
      sectionName = name;
      section = data.get(name);
      if (!section) data.set(name, (section = new Map()));
      current = undefined;
      continue;
    }

    if (!section) {
      // zc.buildout 2.13 raises "no section headers" for the options of a false conditional
      // section that opens a file; we skip them, as for any other false section.
      line ??= text.slice(lineStart, lineEnd);
      if (!condition || !pyStrip(line)) continue;
      problems.push(errors.missingSectionHeader(file, index + 1, line));
      continue;
    }

    let name: string | undefined;
    let value = '';
    if (code === 0x3d && text.charCodeAt(lineStart + 1) === 0x3e && lineStart + 1 < lineEnd) {
      // `=> a b` is buildout's shorthand for `<part-dependencies> = a b`
      name = '<part-dependencies>';
      value = pyStrip(text.slice(lineStart + 2, lineEnd));
    } else {
      OPTION_AT.lastIndex = lineStart;
      const option = OPTION_AT.exec(text);
      if (option) {
        name = option[3] ? option[1] + option[2] + option[3] : option[1];
        value = option[4];
      }
    }
    if (name !== undefined) {
      if (!condition) continue;
      const earlier = section.get(name);
      if (earlier)
        warnings.push(errors.optionSetTwice(file, index + 1, sectionName!, name, (earlier.origin as FileOrigin).line));
      current = new FileValue(value, file, index + 1);
      currentBlock = value === '';
      if (currentBlock) blocks.push(current);
      section.set(name, current);
      continue;
    }
    line ??= text.slice(lineStart, lineEnd);
    if (current === undefined && !pyStrip(line)) continue;
    // a bad section header belongs to no section: it is not a line of the section above it
    problems.push(errors.parseLine(file, index + 1, line, line.trimStart().startsWith('[') ? undefined : sectionName));
  }

  for (const value of blocks) finishBlock(value);
  // continuation lines were appended after `initial` was taken
  for (const value of continued) value.initial = value.value;
  return { file, data, errors: problems, warnings };
}

/** buildout's end-of-file clean-up of values whose first line was empty: dedent, trim. */
function finishBlock(value: Value): void {
  if (!value.value.length || !isPySpaceCode(value.value.charCodeAt(0))) return;
  const { text, dropped } = dropLeadingBlankLines(dedent(pyRstrip(value.value)));
  value.value = text;
  const origin = value.origin as FileOrigin;
  if (origin.lines) origin.lines = origin.lines.slice(dropped, dropped + text.split('\n').length);
}
