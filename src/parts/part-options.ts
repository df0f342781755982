/**
 * PartOptions over a section's resolved options: typed getters whose errors are located at the
 * option's line in the configuration, naming the part and the option.
 */
import type { PartOptions } from '../recipe';
import type { ZetaError, SourceLocation } from '../errors/zeta-error';
import { engineErrors } from '../errors/codes';

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

export type Locator = (option: string) => SourceLocation | undefined;

export function optionError(
  section: string,
  option: string,
  message: string,
  hint: string | undefined,
  locate: Locator,
): ZetaError {
  return engineErrors.badOption(section, option, message, hint, locate(option));
}

/**
 * `read` hears every option asked for by name (not through entries()): an option some recipe
 * reads is in use, whatever the recipe declares (unknown-options.ts).
 */
export function makePartOptions(
  section: string,
  all: () => Map<string, string>,
  locate: Locator,
  read?: (option: string) => void,
): PartOptions {
  const fail = (option: string, message: string, hint?: string): never => {
    throw optionError(section, option, message, hint, locate);
  };
  const lookup = (option: string): string | undefined => {
    read?.(option);
    return all().get(option);
  };
  const options: PartOptions = {
    get: (option) => lookup(option),
    has: (option) => lookup(option) !== undefined,
    required(option) {
      const value = lookup(option);
      if (value === undefined || value.trim() === '') {
        fail(option, `part [${section}] needs option "${option}"`, `add "${option} = ..." to [${section}].`);
      }
      return value!;
    },
    bool(option, fallback) {
      const value = lookup(option);
      if (value === undefined || value.trim() === '') return fallback;
      const word = value.trim().toLowerCase();
      if (TRUE.has(word)) return true;
      if (FALSE.has(word)) return false;
      return fail(
        option,
        `option "${option}" of [${section}] must be true or false, not ${JSON.stringify(value)}`,
        `write "${option} = true" or "${option} = false".`,
      );
    },
    int(option, fallback, bounds = {}) {
      const value = lookup(option);
      if (value === undefined || value.trim() === '') return fallback;
      const number = /^-?\d+$/.test(value.trim()) ? Number.parseInt(value.trim(), 10) : Number.NaN;
      const { min = -Infinity, max = Infinity } = bounds;
      if (!Number.isSafeInteger(number) || number < min || number > max) {
        const range =
          Number.isFinite(min) || Number.isFinite(max)
            ? ` from ${Number.isFinite(min) ? min : '-inf'} to ${Number.isFinite(max) ? max : 'inf'}`
            : '';
        fail(option, `option "${option}" of [${section}] must be a whole number${range}, not ${JSON.stringify(value)}`);
      }
      return number;
    },
    lines(option) {
      const value = lookup(option);
      return value === undefined
        ? []
        : value
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean);
    },
    words(option) {
      const value = lookup(option);
      return value === undefined ? [] : value.split(/\s+/).filter(Boolean);
    },
    entries: () => [...all()],
  };
  return options;
}
