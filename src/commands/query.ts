/** query SECTION:OPTION (or OPTION of [buildout]): prints one resolved value. */
import type { LoadedConfig } from '../config/load-config';
import { ZetaError } from '../errors/zeta-error';
import { nearest } from '../util/suggest';
import { quoted, shortName } from '../errors/codes';

export function query(config: LoadedConfig, args: string[]): string {
  if (args.length !== 1) throw new ZetaError('BAD_ARGUMENTS', 'query needs one SECTION:OPTION', { hint: 'for example "bin/assemble query ports:http".' });
  const parts = args[0].split(':');
  if (parts.length > 2) throw new ZetaError('BAD_ARGUMENTS', `${quoted(args[0])} has more than one ":"`, { hint: 'write SECTION:OPTION.' });
  const [section, option] = parts.length === 1 ? ['buildout', parts[0]] : parts;
  if (!config.data.has(section)) {
    const near = nearest(section, config.data.keys());
    throw new ZetaError('MISSING_SECTION', `there is no section [${shortName(section)}]`, { hint: near ? `did you mean [${near}]?` : 'run "bin/assemble annotate" to see them all.' });
  }
  const value = config.resolver.get(section, option);
  if (value === undefined) {
    const near = nearest(option, config.resolver.options(section).keys());
    throw new ZetaError('MISSING_OPTION', `[${shortName(section)}] has no option ${quoted(option)}`, { hint: near ? `did you mean ${shortName(section)}:${near}?` : `run "bin/assemble annotate ${shortName(section)}" to see its options.` });
  }
  return `${value}\n`;
}
