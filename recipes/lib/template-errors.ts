/**
 * Points template errors at the template. A `${section:option}` that does not resolve inside a
 * template file is reported by the resolver without a place (it is not in a .cfg file); a
 * missing mustache variable in an inline template has no file. Both get the place the user
 * must edit: the template file's line and column, or the `inline` option. The error keeps its
 * code and message; only its location is filled in (engine errors are plain objects to us).
 */
import type { OptionsContext } from '../../src/recipe';

interface Located {
  location?: { file: string; line: number; column: number; length?: number };
  option?: string;
}

/** Substitutes `${...}` in a template; a failure is located at the template file's line. */
export function substituteTemplate(ctx: OptionsContext, text: string, file: string | undefined): string {
  try {
    return ctx.substitute(text);
  } catch (error) {
    if (!file || (error as Located).location) throw error;
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
export function renderTemplate(ctx: OptionsContext, text: string, view: Record<string, unknown>, file: string | undefined, option: string): string {
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
