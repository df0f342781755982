/**
 * template: renders a file from a template (`input`, a file) or inline text (`inline`) to
 * `output`, as collective.recipe.template does: `${section:option}` references are substituted
 * the buildout way (and `${option}` means an option of this part), and the text is rendered as
 * mustache with this part's options as the view (`{{output}}`, `{{mode}}`), each on the
 * template's own text only: a substituted value is never rendered again. A missing mustache
 * variable is an error naming the template and line.
 * Rendering happens in the options phase, so every section the template refers to is a
 * dependency, the template's contents count as an option (edit it: the part reinstalls), and the
 * rendered text's checksum is recorded (change a value it uses: the part reinstalls).
 * Secrets: the output is written with mode 0600 when it uses the [passwords] section (directly,
 * or through another section: any [passwords] value in the text counts) or an option named in
 * `secret-options`.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import * as path from 'node:path';
import { contentHash, defineRecipe, type OptionsContext } from '../../src/recipe';
import { renderOnce } from './template-errors';

/** What the options phase hands to install and update. */
interface Rendered {
  text: string;
  mode: number;
  /** `output` made absolute (relative to the buildout directory); the option keeps what the user wrote. */
  output: string;
}

function parseMode(ctx: OptionsContext, fallback: number): number {
  const text = ctx.options.get('mode');
  if (text === undefined || !text.trim()) return fallback;
  if (!/^0?[0-7]{3,4}$/.test(text.trim()))
    throw ctx.error('mode', `mode must be an octal file mode such as 0644, not ${JSON.stringify(text)}`);
  return Number.parseInt(text.trim(), 8);
}

function secretOptions(ctx: OptionsContext): string[] {
  return ctx.options.words('secret-options');
}

/** Whether the text carries a password: [passwords] referenced, or one of its values in it. */
function usesPasswords(ctx: OptionsContext, text: string): boolean {
  if (ctx.references().includes('passwords')) return true;
  if (!ctx.hasSection('passwords')) return false;
  return ctx
    .section('passwords')
    .entries()
    .some(([, value]) => value.trim() !== '' && text.includes(value.trim()));
}

/**
 * The text to render, and the mode it would get without a `mode` option. An inline template is
 * the option as written: its references are substituted once, by renderOnce (the option's
 * resolved value would give mustache the substituted values to render again).
 */
function source(ctx: OptionsContext): { text: string; mode: number; file?: string; inline?: boolean } {
  const input = ctx.options.get('input');
  const inline = ctx.options.get('inline');
  if (input !== undefined && inline !== undefined)
    throw ctx.error('inline', 'give either "input" (a template file) or "inline" (the template text), not both');
  if (inline !== undefined)
    return { text: (ctx.raw('inline') ?? inline).replace(/^\s+/, ''), mode: 0o644, inline: true };
  if (input === undefined)
    throw ctx.error('recipe', `part [${ctx.name}] needs "input" (a template file) or "inline" (the template text)`);
  const rawInput = ctx.raw('input') ?? input;
  if (rawInput.startsWith('inline:'))
    return { text: rawInput.slice('inline:'.length).replace(/^\s+/, ''), mode: 0o644, inline: true };
  const file = path.resolve(ctx.paths.directory, input);
  const template = ctx.readInput(file);
  if (!template) {
    throw ctx.error(
      'input',
      `template file ${file} does not exist`,
      'check the path; a relative path is relative to the buildout directory.',
    );
  }
  return { text: template.text, mode: template.mode, file };
}

/**
 * Whether the file holds exactly this text with this mode. One open file: its size and mode come
 * from the open descriptor, and the contents are read only when the size already matches (a
 * no-op re-run checks every output this way).
 */
function holds(file: string, text: string, mode: number): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const stat = fstatSync(fd);
    const expected = Buffer.from(text);
    if ((stat.mode & 0o777) !== mode || stat.size !== expected.length || !stat.isFile()) return false;
    const actual = Buffer.allocUnsafe(expected.length + 1);
    return (
      readSync(fd, actual, 0, actual.length, 0) === expected.length &&
      expected.equals(actual.subarray(0, expected.length))
    );
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

export default defineRecipe({
  name: 'template',
  version: '1.2.0',
  accepts: ['input', 'inline', 'output', 'mode', 'secret-options'],
  options(ctx) {
    const output = ctx.options.required('output');
    const { text, mode, file, inline } = source(ctx);
    // ${...} and mustache, each on the template's own text: a value is never rendered again
    const result = renderOnce(ctx, text, file, ctx.options.has('inline') ? 'inline' : 'input', inline);
    const marked = secretOptions(ctx);
    for (const o of marked) {
      if (!ctx.options.has(o))
        throw ctx.error('secret-options', `secret-options names "${o}", which [${ctx.name}] does not have`);
      ctx.secret(o); // the plan masks its value wherever it prints it
    }
    const secret = marked.length > 0 || usesPasswords(ctx, result);
    let finalMode = parseMode(ctx, mode);
    if (secret && (finalMode & 0o077) !== 0) {
      if (ctx.options.has('mode'))
        ctx.warn(`[${ctx.name}] writes secrets: mode ${finalMode.toString(8)} is narrowed to 0600`);
      finalMode = 0o600;
    }
    const target = path.resolve(ctx.paths.directory, output);
    // the hash stands for the rendered text: the plan shows the file's diff instead of it
    ctx.set('content-hash', contentHash(result), { explain: { output: target } });
    ctx.output(target, result, { mode: finalMode });
    const rendered: Rendered = { text: result, mode: finalMode, output: target };
    return rendered;
  },
  async install(ctx, { text, mode, output }) {
    await ctx.writeFile(output, text, { mode });
  },
  async update(ctx, { text, mode, output }) {
    // the content hash is an option: when the text changes the part reinstalls; here it only needs
    // repairing if someone edited the output by hand
    if (!holds(output, text, mode)) {
      ctx.log.detail(`${output} was changed by hand; writing it again`);
      await ctx.writeFile(output, text, { mode });
    }
  },
});
