/**
 * Value checks for the service recipes, beyond host names and ports (values.ts): sizes, durations,
 * URL paths, SQL names, and words that go into a config line unquoted (a stats user, a password).
 * Each rejects what would break or inject into the generated file, with an error at the option.
 */
import type { OptionsContext } from '../../src/recipe';

function fail(ctx: OptionsContext, option: string, value: string, what: string, example: string): never {
  throw ctx.error(option, `option ${option} of [${ctx.name}] is not ${what}: ${JSON.stringify(value)}`, `for example: ${option} = ${example}`);
}

/** 64M, 1G, 512k (memory sizes as the daemons write them). */
export function checkSize(ctx: OptionsContext, option: string, value: string, example = '64M'): string {
  if (!/^\d+[kKmMgGtT]?$/.test(value.trim())) fail(ctx, option, value, 'a size (a number with an optional k, M, G or T)', example);
  return value.trim();
}

/** 500ms, 2s, 1m: haproxy and varnish time units. */
export function checkDuration(ctx: OptionsContext, option: string, value: string, example = '2s'): string {
  if (!/^\d+(?:\.\d+)?(?:us|ms|s|m|h|d)$/.test(value.trim())) fail(ctx, option, value, 'a duration (a number and us, ms, s, m, h or d)', example);
  return value.trim();
}

/** An absolute URL path without spaces, quotes or config syntax (/_nginx_status_, /system_error). */
export function checkUrlPath(ctx: OptionsContext, option: string, value: string, example = '/system_error'): string {
  if (!/^\/[A-Za-z0-9._~!$&()*+,=:@%/-]*$/.test(value.trim())) fail(ctx, option, value, 'a URL path (starting with "/", no spaces, quotes, ";" or braces)', example);
  return value.trim();
}

/** A database, SQL user or Zope site name: letters, digits, "_" (and "-" where allowed). */
export function checkName(ctx: OptionsContext, option: string, value: string, example: string, pattern = /^[A-Za-z0-9_]{1,64}$/): string {
  if (!pattern.test(value)) fail(ctx, option, value, 'a name of letters, digits and "_"', example);
  return value;
}

/** A word that goes unquoted into a config line: no whitespace, quotes, "#", ";", braces or backslashes. */
export function checkWord(ctx: OptionsContext, option: string, value: string, example: string, extra = ''): string {
  const bad = new RegExp(`[\\s"'#;{}\\\\${extra.replace(/[\]\\^-]/g, '\\$&')}]`);
  if (!value || bad.test(value)) {
    throw ctx.error(option, `option ${option} of [${ctx.name}] cannot be used in the generated configuration: ${value ? 'it contains a space, quote, "#", ";", brace or backslash' : 'it is empty'}${extra ? ` (or one of ${JSON.stringify(extra)})` : ''}`,
      `for example: ${option} = ${example}`);
  }
  return value;
}

/** A whole number option given as text (from a data section) within bounds. */
export function checkCount(ctx: OptionsContext, option: string, value: string, min: number, max: number): number {
  const number = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) fail(ctx, option, value, `a whole number from ${min} to ${max}`, String(min));
  return number;
}
