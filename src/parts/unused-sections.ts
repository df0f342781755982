/**
 * findUnusedSections: a section that nothing reads is usually a misspelt header (`[varnish-option]`
 * for `[varnish-options]`), and the deployment then quietly keeps the defaults. Used are the
 * sections resolved while the parts were initialised (the parts, every section a `${...}`
 * reference, a `=>` or a recipe's ctx.section reached), the macros they copy (`<=`, through
 * chains), and the sections buildout and its tools read: [buildout], the one `versions` names,
 * [versionannotations] (plone.versioncheck) and mr.developer's `sources` section.
 */
import type { ConfigData } from '../config/model';
import type { Resolver } from '../config/interpolate';
import type { SourceLocation, ZetaError } from '../errors/zeta-error';
import { engineErrors } from '../errors/codes';
import { sourceLines } from '../errors/sources';
import { nearest } from '../util/suggest';

/** The sections buildout itself, or a tool it runs, reads by name. */
function readByBuildout(resolver: Resolver): string[] {
  const names = ['buildout', 'versionannotations'];
  const versions = resolver.get('buildout', 'versions');
  if (versions) names.push(versions);
  if (/\bmr\.developer\b/.test(resolver.get('buildout', 'extensions') ?? ''))
    names.push(resolver.get('buildout', 'sources')?.trim() || 'sources');
  return names;
}

/** Adds the macro sources of `name` (its `<=` lines), and theirs, to `used`. */
function addMacros(data: ConfigData, name: string, used: Set<string>): void {
  const sources = data.get(name)?.get('<')?.value;
  if (!sources) return;
  for (const line of sources.split('\n')) {
    const source = line.trim();
    if (!source || used.has(source)) continue;
    used.add(source);
    addMacros(data, source, used);
  }
}

/** The line of `[name]` (or `[name:condition]`) in the files its options came from, or any file. */
function locateHeader(data: ConfigData, name: string): SourceLocation | undefined {
  const files = new Set<string>();
  data.get(name)?.forEach((value) => {
    if (value.origin.kind === 'file') files.add(value.origin.file);
  });
  if (!files.size)
    for (const section of data.values())
      section.forEach((value) => {
        if (value.origin.kind === 'file') files.add(value.origin.file);
      });
  const header = new RegExp(`^\\[\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*(?::[^\\]]*)?\\]`);
  for (const file of files) {
    const lines = sourceLines(file);
    const index = lines?.findIndex((line) => header.test(line)) ?? -1;
    if (index >= 0) return { file, line: index + 1, column: 1, length: lines![index].trimEnd().length };
  }
  return undefined;
}

/**
 * The unused sections, given the sections resolved so far (`reached`) and the names recipes
 * asked about (ctx.hasSection): both are what a misspelt name is compared with.
 */
export function findUnusedSections(
  data: ConfigData,
  resolver: Resolver,
  reached: readonly string[],
  asked: Iterable<string>,
): ZetaError[] {
  const resolved = new Set(reached);
  const unresolved = [...data.keys()].filter((name) => !resolved.has(name));
  if (!unresolved.length) return []; // every run of a configuration without leftovers ends here
  const used = new Set([...resolved, ...readByBuildout(resolver)]);
  for (const name of [...used]) addMacros(data, name, used);
  const found: ZetaError[] = [];
  for (const name of unresolved) {
    if (used.has(name)) continue;
    const suggestion = nearest(
      name,
      [...used, ...asked].filter((other) => other !== name),
    );
    found.push(engineErrors.unusedSection(name, suggestion, locateHeader(data, name)));
  }
  return found;
}
