/**
 * Points template errors at the template. A `${section:option}` that does not resolve inside a
 * template file is reported by the resolver without a place (it is not in a .cfg file); a
 * missing mustache variable in an inline template has no file. Both get the place the user
 * must edit: the template file's line and column, or the `inline` option. The error keeps its
 * code and message; only its location is filled in (engine errors are plain objects to us).
 *
 * renderOnce: a template's own text is rendered exactly once. Its `${...}` references are set
 * aside before mustache sees the text and their values are put in afterwards, so a value holding
 * `{{...}}` (a password, say) reaches the file as written, as the values of built-in templates do.
 */
import { randomBytes } from 'node:crypto';
import type { OptionsContext } from '../../src/recipe';

interface Located {
  location?: { file: string; line: number; column: number; length?: number };
  option?: string;
}

/** Substitutes `${...}` in a template; a failure is located at the template file's line. */
export function substituteTemplate(
  ctx: OptionsContext,
  text: string,
  file: string | undefined,
  at?: { line: number; column: number },
): string {
  try {
    return ctx.substitute(text);
  } catch (error) {
    if (!file || (error as Located).location) throw error;
    if (at) {
      // one reference alone, from this place of the template
      (error as Located).location = { file, ...at, length: text.length };
      throw error;
    }
    // find the first line that fails on its own: that is where the bad reference is
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].includes('${')) continue;
      try {
        ctx.substitute(lines[i]);
      } catch {
        const column = lines[i].indexOf('${') + 1;
        const end = lines[i].indexOf('}', column);
        (error as Located).location = { file, line: i + 1, column, length: end > 0 ? end - column + 2 : 2 };
        break;
      }
    }
    throw error;
  }
}

/** Renders mustache; a missing variable in an inline template is located at the `inline` option. */
export function renderTemplate(
  ctx: OptionsContext,
  text: string,
  view: Record<string, unknown>,
  file: string | undefined,
  option: string,
): string {
  try {
    return ctx.render(text, view, file);
  } catch (error) {
    const located = error as Located;
    if (!file && !located.location && typeof error === 'object' && error !== null) {
      located.location = (ctx.error(option, '') as Located).location;
      located.option = option;
    }
    throw error;
  }
}

/**
 * Where the references are, as the resolver finds them: `${` up to the first `}`. In an option's
 * text (`escapes`), `$$` is buildout's escape: the text between two is searched on its own and
 * the `$$` stays, so `$${x}` is no reference.
 */
function references(text: string, escapes: boolean): Array<{ start: number; end: number }> {
  const found: Array<{ start: number; end: number }> = [];
  let offset = 0;
  for (const piece of escapes ? text.split('$$') : [text]) {
    for (let pos = 0; ;) {
      const start = piece.indexOf('${', pos);
      const end = start < 0 ? -1 : piece.indexOf('}', start + 2);
      if (end < 0) break;
      found.push({ start: offset + start, end: offset + end + 1 });
      pos = end + 1;
    }
    offset += piece.length + 2;
  }
  return found;
}

/**
 * `${section:option}` substitution and mustache, each applied to the template's own text only:
 * mustache renders the text with every reference replaced by a placeholder (so it never sees a
 * value), then each placeholder gets its reference's value. The view is the part's options.
 * `escapes`: the text is an option's as written (an inline template), with buildout's `$$`.
 */
export function renderOnce(
  ctx: OptionsContext,
  text: string,
  file: string | undefined,
  option: string,
  escapes = false,
): string {
  const refs = references(text, escapes);
  if (!text.includes('{{') && !escapes) return refs.length ? substituteTemplate(ctx, text, file) : text;
  const values = new Map<string, string>();
  for (const { start, end } of refs) {
    const ref = text.slice(start, end);
    const before = text.slice(0, start);
    if (!values.has(ref))
      values.set(
        ref,
        substituteTemplate(ctx, ref, file, {
          line: before.split('\n').length,
          column: start - before.lastIndexOf('\n'),
        }),
      );
  }
  // a marker no value and no template holds: NUL and a random word
  const mark = `\0${randomBytes(6).toString('hex')}:`;
  const index = [...values.keys()];
  let masked = '';
  let pos = 0;
  for (const { start, end } of refs) {
    masked += `${text.slice(pos, start)}${mark}${index.indexOf(text.slice(start, end))}\0`;
    pos = end;
  }
  masked += text.slice(pos);
  const view = masked.includes('{{') ? Object.fromEntries(ctx.options.entries()) : {};
  const rendered = renderTemplate(ctx, masked, view, file, option);
  return rendered.replace(new RegExp(`${mark}(\\d+)\0`, 'g'), (_, i: string) => values.get(index[Number(i)])!);
}
