/** `bin/assemble [install [PART...]]`: the closing summary of a run and the picked versions. */
import type { Logger } from '../output/logger';
import type { Assembly } from '../assemble';

export function reportInstall({ run, summary, versionsFile }: Assembly, logger: Logger): void {
  const { palette } = logger;
  if (summary) {
    const counts = [
      summary.installed && `${summary.installed} installed`,
      summary.reinstalled && `${summary.reinstalled} reinstalled`,
      summary.updated && `${summary.updated} updated`,
      summary.unchanged && `${summary.unchanged} unchanged`,
      summary.uninstalled && `${summary.uninstalled} uninstalled`,
    ].filter(Boolean);
    logger.info(palette.bold(`${counts.length ? counts.join(', ') : 'nothing to do'} in ${summary.seconds.toFixed(1)} s`));
  }
  if (run.config.resolver.get('buildout', 'show-picked-versions') === 'true' && run.versions.block) {
    logger.info(`picked versions (add them to your versions file):\n${run.versions.block}`);
  }
  if (versionsFile) logger.info(`picked versions appended to ${versionsFile}`);
}
