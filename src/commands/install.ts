/**
 * `bin/assemble [install [PART...]]` and `apply`: the closing summary of a run, the picked
 * versions, and for apply what was done to the running programs.
 */
import type { Logger } from '../output/logger';
import type { Assembly } from '../assemble';

export function reportInstall({ run, summary, versionsFile, applied, runtime }: Assembly, logger: Logger): void {
  const { palette } = logger;
  if (applied) {
    const running = [...runtime.values()].some((report) => report.running);
    if (!runtime.size) logger.info('no part reports on running programs: apply was install');
    else if (!running)
      logger.info('the stack is not running: nothing to apply to programs (bin/supervisord starts them)');
    for (const line of applied) logger.info(`  applied   ${line}`);
  }
  if (summary) {
    const counts = [
      summary.installed && `${summary.installed} installed`,
      summary.reinstalled && `${summary.reinstalled} reinstalled`,
      summary.updated && `${summary.updated} updated`,
      summary.unchanged && `${summary.unchanged} unchanged`,
      summary.uninstalled && `${summary.uninstalled} uninstalled`,
    ].filter(Boolean);
    logger.info(
      palette.bold(`${counts.length ? counts.join(', ') : 'nothing to do'} in ${summary.seconds.toFixed(1)} s`),
    );
  }
  if (run.config.resolver.get('buildout', 'show-picked-versions') === 'true' && run.versions.block) {
    logger.info(`picked versions (add them to your versions file):\n${run.versions.block}`);
  }
  if (versionsFile) logger.info(`picked versions appended to ${versionsFile}`);
}
