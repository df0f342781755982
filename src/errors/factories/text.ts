/** What the factories share: where an error points, quoting what the user typed, cycles as paths. */
import type { SourceLocation } from '../zeta-error';

/** Where an error points: a location in a file, and the section and option. */
export interface Where {
  location?: SourceLocation;
  section?: string;
  option?: string;
}

/**
 * A word the user typed, quoted for a message: shortened when long (a message stays a
 * paragraph); control characters are made visible by the printer.
 */
export function quoted(text: string, max = 80): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max - 3)}...` : text);
}

/** A name (section, option, file) for a message: shortened when long. */
export function shortName(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** A cycle's path; one thousands of links long shows its ends and how many links are between. */
export function pathText(links: string[], separator: string): string {
  if (links.length <= 24) return links.join(separator);
  const hidden = links.length - 20;
  const ends = [links.slice(0, 10).join(separator), `... ${hidden} more ...`, links.slice(-10).join(separator)];
  return ends.join(separator);
}
