/**
 * Offline (-o), every file the parts about to be installed will download (declared with
 * ctx.declareDownload) must already be in the download cache. Checked before anything changes, so
 * a deployment missing several tarballs learns of all of them in one run, not one per run.
 * Parts that are updated or unchanged download nothing and are not asked about.
 */
import type { DownloadRequest, DownloadService } from '../download/download-service';
import { together, type ZetaError } from '../errors/zeta-error';
import type { Plan, PlannedPart } from './plan';

/** One error per missing file, in install order (a URL two parts need is one miss). */
export function offlineMisses(plan: Plan, planned: Map<string, PlannedPart>, downloads: DownloadService): ZetaError[] {
  const requests = new Map<string, DownloadRequest & { part: string; option: string }>();
  for (const step of plan.steps) {
    if (step.action !== 'install' && step.action !== 'reinstall') continue;
    for (const declared of planned.get(step.part)?.info.downloads ?? []) {
      const key = `${declared.namespace ?? ''}\0${declared.url}`;
      if (!requests.has(key)) requests.set(key, { ...declared, part: step.part });
    }
  }
  return downloads
    .missingOffline([...requests.values()])
    .map((request) => downloads.offlineMiss(request, { section: request.part, option: request.option }));
}

/** Throws every miss at once (printed together), if there is any. */
export function checkOffline(plan: Plan, planned: Map<string, PlannedPart>, downloads: DownloadService): void {
  const misses = offlineMisses(plan, planned, downloads);
  if (misses.length) throw together(misses);
}
