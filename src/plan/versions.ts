/**
 * checkVersions: the [versions] pins. Every npm recipe package and every piece of software a part
 * picks (ctx.pick) is checked against its pin with semver; an unpinned pick is an error when
 * allow-picked-versions is false (the message holds the exact lines to add). With
 * show-picked-versions the picks are printed as a [versions] block; update-versions-file
 * appends that block to a file.
 */
import { appendFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Resolver } from '../config/interpolate';
import type { PartInfo, Pick } from '../parts/initialize-parts';
import { engineErrors } from '../errors/codes';
import { locateOption } from '../config/locate';

export interface VersionReport {
  picked: Pick[];
  block?: string;
}

function satisfies(version: string, pin: string): boolean {
  const semver = require('semver') as typeof import('semver');
  const exact = pin.trim();
  if (exact === version) return true;
  const coerced = semver.valid(version) ?? semver.coerce(version)?.version;
  if (!coerced) return false;
  try {
    return semver.satisfies(coerced, exact, { loose: true, includePrerelease: true });
  } catch {
    return false;
  }
}

export function collectPicks(parts: Map<string, PartInfo>): Pick[] {
  const picks: Pick[] = [];
  for (const info of parts.values()) {
    if (info.recipe.package)
      picks.push({ name: info.recipe.package.name, version: info.recipe.package.version, part: info.name });
    picks.push(...info.picks);
  }
  return picks;
}

export function checkVersions(resolver: Resolver, parts: Map<string, PartInfo>): VersionReport {
  const sectionName = resolver.get('buildout', 'versions') || 'versions';
  const hasSection = resolver.hasSection(sectionName);
  const unpinned: Pick[] = [];
  const seen = new Set<string>();
  for (const pick of collectPicks(parts)) {
    const key = `${pick.name}\0${pick.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pin = hasSection ? resolver.get(sectionName, pick.name) : undefined;
    if (pin === undefined || pin.trim() === '') {
      unpinned.push(pick);
      continue;
    }
    if (!satisfies(pick.version, pin)) {
      const raw = resolver.stateOf(sectionName)?.raw.get(pick.name);
      throw engineErrors.versionConflict(pick.name, pick.version, pin.trim(), {
        location: locateOption(raw),
        section: sectionName,
        option: pick.name,
      });
    }
  }
  if (unpinned.length && resolver.get('buildout', 'allow-picked-versions') === 'false')
    throw engineErrors.unpinned(unpinned, sectionName);
  const report: VersionReport = { picked: unpinned };
  if (unpinned.length) {
    report.block = ['[versions]', ...unpinned.map((p) => `${p.name} = ${p.version}`)].join('\n');
  }
  return report;
}

/** Appends the picked versions to the update-versions-file, as buildout does. */
export function updateVersionsFile(resolver: Resolver, report: VersionReport): string | undefined {
  const target = resolver.get('buildout', 'update-versions-file');
  if (!target || !report.picked.length) return undefined;
  const file = path.resolve(resolver.get('buildout', 'directory')!, target);
  const header = existsSync(file) ? '\n' : '';
  const lines = report.picked.map((p) => `${p.name} = ${p.version}`);
  const block =
    `${header}# Added by Zetaserver at ` +
    `${new Date().toISOString()}\n${existsSync(file) ? '' : '[versions]\n'}${lines.join('\n')}\n`;
  appendFileSync(file, block);
  return file;
}
