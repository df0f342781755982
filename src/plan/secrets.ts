/**
 * Secrets in what plan and install print: an option is secret when its name says so (password,
 * secret, key, token, passphrase as a word of the name) or its recipe marked it (ctx.secret).
 * The Masker knows every secret value of the run, the configured ones and those the installed
 * state recorded (the old password shows in a diff's removed lines), and replaces each
 * occurrence of one in a text. Longer values first, so a secret that contains another is
 * masked whole. Only whole tokens: a secret "abc" leaves "abcdef" and "xabc" alone (another
 * value, or a word that happens to contain it), so a short secret cannot garble the diff.
 */
import type { InstalledState } from '../state/state';
import type { PartInfo } from '../parts/initialize-parts';

export const MASK = '********';

const SECRET_NAME = /(^|[-_.])(password|passwd|secret|key|token|passphrase)s?($|[-_.])/i;

/** A name-secret option holding a file's path (ssl-key = /etc/ssl/site.key) names the secret, it is not one. */
function holdsSecret(option: string, value: string, marked: boolean): boolean {
  if (!value.trim()) return false;
  if (marked) return true;
  return SECRET_NAME.test(option) && !/^\/\S*$/.test(value.trim());
}

export function isSecretName(option: string): boolean {
  return SECRET_NAME.test(option);
}

const WORD = /[\p{L}\p{N}_]/u;
const WORD_BEFORE = '(?<![\\p{L}\\p{N}_])';
const WORD_AFTER = '(?![\\p{L}\\p{N}_])';

/**
 * A secret as a whole token: an edge that is a letter, digit or underscore may not touch another
 * one (`abc` in `abcdef` is not it); an edge that is punctuation needs nothing (`!x` in `a!x`).
 */
function tokenPattern(value: string): RegExp {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const before = WORD.test(value[0]) ? WORD_BEFORE : '';
  const after = WORD.test(value[value.length - 1]) ? WORD_AFTER : '';
  return new RegExp(`${before}${escaped}${after}`, 'gu');
}

export class Masker {
  private readonly values: Array<{ value: string; pattern: RegExp }>;

  constructor(values: Iterable<string>) {
    this.values = [...new Set(values)]
      .filter(Boolean)
      .sort((a, b) => b.length - a.length)
      .map((value) => ({ value, pattern: tokenPattern(value) }));
  }

  /** The text with every secret value replaced by the mask: `masker.mask('admin:s3cret')` -> `admin:********`. */
  mask(text: string): string {
    let out = text;
    for (const { value, pattern } of this.values) if (out.includes(value)) out = out.replace(pattern, MASK);
    return out;
  }

  /** Every value of a flat record masked. */
  maskRecord(record: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, this.mask(v)]));
  }
}

/** The run's Masker: secrets of the configured parts (this run's values) and of the recorded ones. */
export function collectSecrets(
  parts: Map<string, PartInfo>,
  options: (part: string) => Map<string, string>,
  state: InstalledState,
): Masker {
  const values: string[] = [];
  const marked = new Map<string, Set<string>>();
  for (const [name, info] of parts) {
    marked.set(name, info.secrets);
    for (const [option, value] of options(name)) {
      if (holdsSecret(option, value, info.secrets.has(option))) values.push(value.trim(), value);
    }
  }
  for (const [name, record] of Object.entries(state.parts)) {
    const recordedMarks = new Set([...(marked.get(name) ?? []), ...(record.secrets ?? [])]);
    for (const [option, value] of Object.entries(record.options)) {
      if (holdsSecret(option, value, recordedMarks.has(option))) values.push(value.trim(), value);
    }
  }
  return new Masker(values);
}
