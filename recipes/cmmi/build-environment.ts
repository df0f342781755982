/**
 * buildEnvironment: the extra environment of one part's build commands, from
 * `environment-section = SECTION` (hexagonit) and `environment`, which is either a section name
 * or KEY=VALUE lines (later lines win). `%(VAR)s` in a value is VAR from the environment
 * Zetaserver runs in (`PATH=/opt/x/bin:%(PATH)s`) and `%%` is a literal `%`, as in hexagonit.
 * The result is handed to ctx.exec for this part only; the assembler's environment is never changed.
 */
import type { OptionsContext } from '../../src/recipe';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECTION = /^[^\s=:${}]+$/;

function expand(ctx: OptionsContext, option: string, key: string, value: string): string {
  return value.replace(/%(?:\(([^)]*)\)s|%)/g, (_match, variable: string | undefined) => {
    if (variable === undefined) return '%';
    const outer = ctx.environment(variable);
    if (outer === undefined) {
      throw ctx.error(
        option,
        `${key}=${value}: %(${variable})s refers to the environment variable ${variable}, which is not set`,
        `set ${variable} before running bin/assemble, or remove the reference (write %% for a literal %).`,
      );
    }
    return outer;
  });
}

/** KEY=VALUE pairs from a section; the values are read as references so editing them reinstalls. */
function fromSection(ctx: OptionsContext, option: string, section: string, into: Map<string, string>): void {
  let options;
  try {
    options = ctx.section(section);
  } catch (error) {
    if ((error as { code?: string }).code !== 'MISSING_SECTION') throw error;
    throw ctx.error(
      option,
      `${option} names the section [${section}], which is not defined`,
      `define [${section}] with KEY = VALUE lines, or write KEY=VALUE lines here instead.`,
    );
  }
  for (const [key] of options.entries()) {
    if (!NAME.test(key))
      throw ctx.error(
        option,
        `[${section}] has the option "${key}", which is not an environment variable name`,
        'names are letters, digits and "_", not starting with a digit.',
      );
    into.set(key, expand(ctx, option, key, ctx.substitute(`\${${section}:${key}}`)));
  }
}

function fromLines(ctx: OptionsContext, text: string, into: Map<string, string>): void {
  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const at = line.indexOf('=');
    const key = at > 0 ? line.slice(0, at).trim() : '';
    if (!NAME.test(key)) {
      throw ctx.error(
        'environment',
        `environment line ${JSON.stringify(line)} is not KEY=VALUE`,
        'write one variable per line, e.g.\n    environment =\n        CFLAGS=-O2 -g\n        ' +
          'PATH=/opt/tools/bin:%(PATH)s\n  or name a section holding them: environment = build-env',
      );
    }
    into.set(key, expand(ctx, 'environment', key, line.slice(at + 1).trim()));
  }
}

/** The part's build environment (only the variables it adds or overrides). */
export function buildEnvironment(ctx: OptionsContext): Map<string, string> {
  const env = new Map<string, string>();
  const section = ctx.options.get('environment-section')?.trim();
  if (section) fromSection(ctx, 'environment-section', section, env);
  const value = ctx.options.get('environment')?.trim();
  if (value) {
    if (!value.includes('\n') && !value.includes('=') && SECTION.test(value))
      fromSection(ctx, 'environment', value, env);
    else fromLines(ctx, value, env);
  }
  return env;
}
