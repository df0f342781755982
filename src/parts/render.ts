/**
 * renderTemplate: mustache, strictly. Every {{name}} must exist in the view: a missing one is an
 * error naming the template file and line, never an empty string. Output is not HTML-escaped
 * (these are configuration files, not web pages).
 */
import { installErrors } from '../errors/codes';

type Token = [string, string, number, number, Token[]?, number?];

/** mustache, loaded on the first text that has a tag (resolving the package alone costs milliseconds). */
function mustache(): typeof import('mustache') {
  return require('mustache') as typeof import('mustache');
}

function lookup(stack: unknown[], name: string): { found: boolean; value: unknown } {
  if (name === '.') return { found: true, value: stack[stack.length - 1] };
  const [first, ...rest] = name.split('.');
  for (let i = stack.length - 1; i >= 0; i--) {
    const context = stack[i];
    if (context !== null && typeof context === 'object' && first in (context as object)) {
      let value: unknown = (context as Record<string, unknown>)[first];
      for (const key of rest) {
        if (value === null || typeof value !== 'object' || !(key in (value as object)))
          return { found: false, value: undefined };
        value = (value as Record<string, unknown>)[key];
      }
      return { found: true, value };
    }
  }
  return { found: false, value: undefined };
}

function lineAt(template: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < template.length; i++) if (template.charCodeAt(i) === 10) line++;
  return line;
}

function check(tokens: Token[], stack: unknown[], template: string, file: string | undefined): void {
  for (const token of tokens) {
    const [type, name, start] = token;
    if (type === 'text' || type === '!' || type === '=') continue;
    if (type === '>') {
      throw installErrors.templatePartial(name, file ? { file, line: lineAt(template, start), column: 1 } : undefined);
    }
    const { found, value } = lookup(stack, name);
    if (!found) {
      const line = lineAt(template, start);
      const column = start - template.lastIndexOf('\n', start - 1);
      const location = file ? { file, line, column, length: name.length + 4 } : undefined;
      const defined = Object.keys((stack[0] ?? {}) as object).slice(0, 12);
      throw installErrors.templateMissingVariable(name, !file, defined, location);
    }
    if (type === '#' && token[4]) {
      if (Array.isArray(value)) for (const item of value) check(token[4], [...stack, item], template, file);
      else if (value) check(token[4], typeof value === 'object' ? [...stack, value] : stack, template, file);
    }
    if (type === '^' && token[4] && !value) check(token[4], stack, template, file);
  }
}

export function renderTemplate(template: string, view: Record<string, unknown>, file?: string): string {
  if (!template.includes('{{')) return template; // no tag: mustache would return it unchanged
  let tokens: Token[];
  try {
    tokens = mustache().parse(template) as unknown as Token[];
  } catch (error) {
    throw installErrors.templateUnparsable(file, (error as Error).message);
  }
  check(tokens, [view], template, file);
  return mustache().render(template, view, {}, { escape: (text: string) => text });
}
