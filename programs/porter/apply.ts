/**
 * applyTable: makes a new overlay the live routing table. Render nginx.conf from the settings and
 * the new table into a candidate file; `nginx -t` it (a refused candidate changes nothing); then
 * write the overlay, replace nginx.conf with it, send the master SIGHUP (a graceful
 * reload: old workers finish what they hold, no request is dropped) and wait until the default
 * server answers with the new config's generation and no old worker accepts any more: only then
 * is the change live.
 */
import { request } from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { checkConfig, reloadMaster, runningMaster, stillAccepting, workerPids } from '../nginx/public';
import { overlayText } from './files';
import { writeFileAtomic } from '../../src/util/atomic-write';
import { GENERATION_PATH, generationOf, includeDirective, renderNginx } from './render-nginx';
import type { PorterSettings } from './settings';
import { effectiveRoutes, type Overlay } from './table';
import { porterErrors } from '../../src/errors/factories/porter';

export interface Applied {
  /** Whether a running porter was reloaded (else the change waits for its start). */
  running: boolean;
  signalledAt?: number;
  /** From SIGHUP to the first answer carrying the new generation. */
  liveAfterMs?: number;
}

/** Asks the default server which generation it runs (undefined when it does not answer). */
function liveGeneration(settings: PorterSettings): Promise<string | undefined> {
  const first = settings.listen[0];
  const host = first.host === '0.0.0.0' ? '127.0.0.1' : first.host === '::' ? '::1' : first.host;
  return new Promise((resolve) => {
    const req = request(
      { host, port: first.port, path: GENERATION_PATH, headers: { host: '_' }, agent: false, timeout: 1000 },
      (res) => {
        let body = '';
        res
          .setEncoding('utf8')
          .on('data', (chunk: string) => (body += chunk))
          .on('end', () => resolve(res.statusCode === 200 ? body.trim() : undefined));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/**
 * Live means: a new worker answers with the new generation, and no old worker still accepts
 * connections (they serve the old table until the master stops them, ~100 ms after the new ones
 * start).
 */
async function waitUntilLive(
  settings: PorterSettings,
  generation: string,
  oldWorkers: number[],
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let answered = false;
  while (Date.now() < deadline) {
    answered ||= (await liveGeneration(settings)) === generation;
    if (answered && !oldWorkers.some(stillAccepting)) return true;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return false;
}

/**
 * An nginx part's config that includes the candidate instead of the routes file, for `nginx -t`:
 * the real config is never touched until the candidate passes.
 */
function mainCandidate(settings: PorterSettings, candidate: string): string {
  const main = readFileSync(settings.layout.conf, 'utf8');
  const line = includeDirective(settings.embedded!.routesConf);
  if (!main.includes(line))
    throw porterErrors.nginxRefused(
      `${settings.layout.conf} does not include ${settings.embedded!.routesConf} (is front-door still on? run bin/assemble)`,
    );
  const file = path.join(settings.layout.prefix, 'nginx.conf.candidate');
  writeFileAtomic(file, main.split(line).join(includeDirective(candidate)));
  return file;
}

export async function applyTable(
  settings: PorterSettings,
  overlay: Overlay,
  options: { writeOverlay: boolean; timeoutMs?: number },
): Promise<Applied> {
  const conf = renderNginx(settings, effectiveRoutes(settings.routes, overlay, settings.pools), overlay.maintenance);
  const target = settings.embedded?.routesConf ?? settings.layout.conf;
  // the candidates live in var/ (a leftover must not stop the part's directory from going)
  const candidate = path.join(settings.layout.prefix, `${path.basename(target)}.candidate`);
  writeFileAtomic(candidate, conf);
  const checked = settings.embedded ? mainCandidate(settings, candidate) : candidate;
  const check = checkConfig(settings.nginx, settings.layout, checked);
  if (!check.ok) {
    rmSync(candidate, { force: true });
    if (checked !== candidate) rmSync(checked, { force: true });
    throw porterErrors.nginxRefused(check.output);
  }
  if (options.writeOverlay) writeFileAtomic(settings.overlay, overlayText(overlay));
  writeFileAtomic(target, conf);
  rmSync(candidate, { force: true });
  if (checked !== candidate) rmSync(checked, { force: true });
  const pid = runningMaster(settings.layout);
  if (pid === undefined) return { running: false };
  const oldWorkers = workerPids(pid);
  const signalledAt = Date.now();
  reloadMaster(pid);
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!(await waitUntilLive(settings, generationOf(conf)!, oldWorkers, timeoutMs))) {
    throw porterErrors.reloadUnconfirmed(pid, timeoutMs / 1000, settings.layout.errorLog);
  }
  return { running: true, signalledAt, liveAfterMs: Date.now() - signalledAt };
}
