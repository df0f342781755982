/**
 * The one printer for errors and warnings: a headline with the code, the location with section
 * and option, a code frame from the `.cfg` file, the hint, and what the assembler was doing.
 */
import { ZetaError, type SourceLocation } from './zeta-error';
import { sourceLines } from './sources';
import { displayPath } from '../util/paths';
import { paletteFor, type Palette } from '../util/color';

/**
 * Control characters (from a typed argument or a configuration file) shown as \xHH: a message
 * must not move the cursor, recolour the terminal or end a line in the middle.
 */
function visible(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f\x9b]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function codeFrame(location: SourceLocation, palette: Palette): string[] {
  const lines = sourceLines(location.file);
  if (!lines || location.line < 1 || location.line > lines.length) return [];
  const width = String(location.line).length;
  const gutter = ' '.repeat(width);
  const out: string[] = [];
  out.push(`${gutter} |`);
  if (location.line > 1 && lines[location.line - 2].trim() !== '') {
    out.push(`${String(location.line - 1).padStart(width)} | ${visible(lines[location.line - 2])}`);
  }
  out.push(`${String(location.line).padStart(width)} | ${visible(lines[location.line - 1])}`);
  const underline = '^'.repeat(Math.max(1, location.length ?? 1));
  out.push(`${gutter} | ${' '.repeat(Math.max(0, location.column - 1))}${palette.red(underline)}`);
  return out;
}

function where(error: ZetaError): string | undefined {
  const parts: string[] = [];
  if (error.location) {
    const loc = error.location;
    parts.push(`${displayPath(loc.file)}:${loc.line}:${loc.column}`);
  }
  if (error.section !== undefined) {
    const cut = (name: string): string => (name.length > 80 ? `${name.slice(0, 77)}...` : name);
    parts.push(error.option !== undefined ? `[${cut(error.section)}] ${cut(error.option)}` : `[${cut(error.section)}]`);
  }
  return parts.length ? parts.join('  ') : undefined;
}

export function formatError(error: ZetaError, palette: Palette, severity = 'error'): string {
  const out: string[] = [];
  const label = severity === 'error' ? palette.red(palette.bold(severity)) : palette.yellow(palette.bold(severity));
  const [first, ...rest] = visible(error.message).split('\n');
  out.push(`${label}${palette.dim(`[${error.code}]`)}: ${palette.bold(first)}`);
  for (const line of rest) out.push(`  ${line}`);
  const place = where(error);
  const at = place && visible(place);
  if (at) out.push(`  ${palette.cyan('-->')} ${at}`);
  if (error.location) for (const line of codeFrame(error.location, palette)) out.push(`  ${line}`);
  for (const line of error.details) out.push(`  ${visible(line)}`);
  if (error.hint) out.push(`  ${palette.green('hint')}: ${visible(error.hint)}`);
  for (const doing of error.doing) out.push(`  ${palette.dim('while')}: ${visible(doing)}`);
  return out.join('\n');
}

/**
 * Prints an error and everything collected with it, separated by blank lines. With `debug`, the
 * stack of what a recipe threw (the error's cause) follows.
 */
export function printError(error: ZetaError, stream: NodeJS.WriteStream = process.stderr, debug = false): void {
  const palette = paletteFor(stream);
  const all = [error, ...error.related];
  const text = all.map((e) => formatError(e, palette)).join('\n\n');
  const summary = all.length > 1 ? `\n\n${palette.red(`${all.length} errors`)}` : '';
  const cause = debug && error.cause instanceof Error && error.cause.stack ? `\n${palette.dim(error.cause.stack)}` : '';
  stream.write(`${text}${summary}${cause}\n`);
}

export function printWarning(error: ZetaError, stream: NodeJS.WriteStream = process.stderr): void {
  stream.write(`${formatError(error, paletteFor(stream), 'warning')}\n`);
}

/** Anything that is not a ZetaError is a bug in Zetaserver or in a recipe: say so plainly. */
export function printInternalError(error: unknown, debug: boolean, stream: NodeJS.WriteStream = process.stderr): void {
  const palette = paletteFor(stream);
  const message = error instanceof Error ? error.message : String(error);
  stream.write(`${palette.red(palette.bold('internal error'))}: ${message}\n`);
  stream.write('  This is a bug in Zetaserver or in a recipe, not a problem with your configuration.\n');
  if (debug && error instanceof Error && error.stack) stream.write(`${error.stack}\n`);
  else stream.write(`  ${palette.green('hint')}: run again with --debug for the stack trace, and report it.\n`);
}
