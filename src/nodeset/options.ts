/**
 * Reading [nodeset] and role options: resolved values (substitutions done) with the place each
 * was written, so that every problem points at its file, line, section and option.
 */
import { isIP } from 'node:net';
import * as path from 'node:path';
import type { LoadedConfig } from '../config/load-config';
import { locateInValue, locateOption } from '../config/locate';
import { lastOrigin } from '../config/model';
import { sourceLines } from '../errors/sources';
import { nodesetErrors, type NodesetPlace } from '../errors/codes';
import type { ZetaError } from '../errors/zeta-error';

export class SectionReader {
  constructor(
    private readonly config: LoadedConfig,
    readonly section: string,
    /** Problems found so far, reported together at the end. */
    readonly problems: ZetaError[],
  ) {}

  /** Where `option` (or the word `needle` in it) was written. */
  place(option?: string, needle?: string): NodesetPlace {
    const value = option === undefined ? undefined : this.config.data.get(this.section)?.get(option);
    // a value set on the command line has no line to show: the message names section and option
    if (value && lastOrigin(value).kind !== 'file') return { section: this.section, option };
    const location = needle ? (locateInValue(value, needle) ?? locateOption(value)) : locateOption(value);
    return { section: this.section, option, location };
  }

  /** Where the section's header is (in the file of its first option written in one). */
  header(): NodesetPlace {
    for (const value of this.config.data.get(this.section)?.values() ?? []) {
      const at = locateOption(value);
      if (!at) continue;
      const lines = sourceLines(at.file) ?? [];
      const header = `[${this.section}]`;
      for (let line = at.line - 1; line >= 0; line--)
        if (lines[line]?.trim().startsWith(header))
          return {
            section: this.section,
            location: { file: at.file, line: line + 1, column: 1, length: header.length },
          };
    }
    return { section: this.section };
  }

  /** The directory of the file that last set `option` (undefined: not set in a file). */
  fileOf(option: string): string | undefined {
    const value = this.config.data.get(this.section)?.get(option);
    const origin = value && lastOrigin(value);
    return origin?.kind === 'file' ? path.dirname(origin.file) : undefined;
  }

  has(option: string): boolean {
    return this.config.data.get(this.section)?.has(option) ?? false;
  }

  text(option: string, fallback = ''): string {
    return (this.config.resolver.get(this.section, option) ?? fallback).trim();
  }

  words(option: string): string[] {
    return this.text(option).split(/\s+/).filter(Boolean);
  }

  bool(option: string, fallback: boolean): boolean {
    const value = this.text(option).toLowerCase();
    if (!value) return fallback;
    if (['true', 'yes', 'on'].includes(value)) return true;
    if (['false', 'no', 'off'].includes(value)) return false;
    this.problems.push(nodesetErrors.badValue(this.place(option), value, 'expected true or false'));
    return fallback;
  }

  integer(option: string, fallback: number, min: number): number {
    const value = this.text(option);
    if (!value) return fallback;
    if (/^\d+$/.test(value) && Number(value) >= min) return Number(value);
    this.problems.push(nodesetErrors.badValue(this.place(option), value, `expected a whole number from ${min}`));
    return fallback;
  }

  /** IPv4/IPv6 literals, each checked. */
  addresses(option: string): string[] {
    return this.words(option).filter((address) => {
      if (isIP(address)) return true;
      this.problems.push(nodesetErrors.badAddress(this.place(option, address), address));
      return false;
    });
  }

  /** `serial = 1 50%`: node counts or percentages of the remaining app nodes. */
  serial(option: string): (number | string)[] {
    const words = this.words(option);
    if (!words.length) return [1, '50%'];
    const bad = words.find((w) => !/^([1-9]\d*|([1-9]\d?|100)%)$/.test(w));
    if (bad === undefined) return words.map((w) => (w.endsWith('%') ? w : Number(w)));
    this.problems.push(
      nodesetErrors.badValue(
        this.place(option, bad),
        bad,
        'expected batch sizes: whole numbers of nodes or percentages (1 50%)',
      ),
    );
    return [1, '50%'];
  }
}
