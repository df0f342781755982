/** query SECTION:OPTION (or OPTION of [buildout]): prints one resolved value. */
import type { LoadedConfig } from '../config/load-config';
import { nearest } from '../util/suggest';
import { cliErrors, quoted, shortName } from '../errors/codes';

export function query(config: LoadedConfig, args: string[]): string {
  if (args.length !== 1) {
    throw cliErrors.badUsage('query needs one SECTION:OPTION', 'for example "bin/assemble query ports:http".');
  }
  const parts = args[0].split(':');
  if (parts.length > 2) throw cliErrors.badUsage(`${quoted(args[0])} has more than one ":"`, 'write SECTION:OPTION.');
  const [section, option] = parts.length === 1 ? ['buildout', parts[0]] : parts;
  if (!config.data.has(section)) {
    const near = nearest(section, config.data.keys());
    const hint = near ? `did you mean [${near}]?` : 'run "bin/assemble annotate" to see them all.';
    throw cliErrors.noSuchSection(section, hint);
  }
  const value = config.resolver.get(section, option);
  if (value === undefined) {
    const near = nearest(option, config.resolver.options(section).keys());
    const hint = near
      ? `did you mean ${shortName(section)}:${near}?`
      : `run "bin/assemble annotate ${shortName(section)}" to see its options.`;
    throw cliErrors.noSuchOption(section, option, hint);
  }
  return `${value}\n`;
}
