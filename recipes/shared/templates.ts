/**
 * loadTemplate: a service recipe's mustache template — the built-in one in templates/<recipe>/,
 * or the file an option names (an operator's own, as the original exercise kept its templates in
 * buildout.d/templates). Read with ctx.readInput, so its contents count as an option: editing it
 * reinstalls the part.
 */
import * as path from 'node:path';
import type { OptionsContext } from '../../src/recipe';

export function loadTemplate(
  ctx: OptionsContext,
  option: string,
  ...builtin: string[]
): { text: string; file: string } {
  const file = path.resolve(ctx.paths.directory, ctx.options.get(option)?.trim() || ctx.paths.templates(...builtin));
  const template = ctx.readInput(file);
  if (!template) {
    throw ctx.error(
      option,
      `template ${file} cannot be read`,
      ctx.options.get(option)
        ? 'check the path; a relative path is relative to the buildout directory.'
        : "Zetaserver's templates/ folder is incomplete: reinstall it.",
    );
  }
  return { text: template.text, file };
}

/** Loads and renders in one step. */
export function renderFromTemplate(
  ctx: OptionsContext,
  option: string,
  view: Record<string, unknown>,
  ...builtin: string[]
): string {
  const { text, file } = loadTemplate(ctx, option, ...builtin);
  return ctx.render(text, view, file);
}
