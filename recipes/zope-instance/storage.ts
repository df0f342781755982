/**
 * The storage part of zope.conf, built from the zope-instance options the way
 * plone.recipe.zope2instance 6 builds it:
 *
 * - `rel-storage` (lines `key value`): `type` picks the adapter (postgresql, the default, mysql,
 *   oracle, sqlite3); keys with a dash (and `name`) are RelStorage options, the others go into
 *   the adapter's section; a postgresql adapter without `dsn` gets one from dbname/user/host/
 *   password. `%import relstorage` comes first.
 * - otherwise a blob-enabled FileStorage: `file-storage` (var/filestorage/Data.fs) and
 *   `blob-storage` (var/blobstorage).
 * The adapter's values are written with `$` doubled (zconfigLiteral).
 * Also the `<environment>` lines from `environment-vars` (`NAME value`, or NAME=value).
 */
import * as path from 'node:path';
import type { OptionsContext } from '../../src/recipe';

const ADAPTERS: readonly string[] = ['postgresql', 'mysql', 'oracle', 'sqlite3'];

function keyValue(ctx: OptionsContext, option: string, line: string): [string, string] {
  const match = /^([A-Za-z_][A-Za-z0-9_.-]*)(?:\s+|\s*=\s*)(\S.*)$/.exec(line);
  if (!match || /[<>]/.test(match[1])) {
    throw ctx.error(
      option,
      `cannot read ${JSON.stringify(line)} in option ${option} of [${ctx.name}]`,
      'write one "key value" per line, e.g. "db zodb".',
    );
  }
  return [match[1], match[2].trim()];
}

export interface RelStorage {
  type: string;
  generic: Array<[string, string]>;
  adapter: Array<[string, string]>;
}

export function parseRelStorage(ctx: OptionsContext): RelStorage | undefined {
  const lines = ctx.options.lines('rel-storage');
  if (!lines.length) return undefined;
  const pairs = lines.map((line) => keyValue(ctx, 'rel-storage', line));
  const type = pairs.find(([k]) => k === 'type')?.[1] ?? 'postgresql';
  if (!ADAPTERS.includes(type))
    throw ctx.error('rel-storage', `RelStorage type ${JSON.stringify(type)} is not one of ${ADAPTERS.join(', ')}`);
  const rest = pairs.filter(([k]) => k !== 'type');
  const generic = rest.filter(([k]) => k.includes('-') || k === 'name');
  let adapter = rest.filter(([k]) => !k.includes('-') && k !== 'name');
  if (type === 'postgresql' && !adapter.some(([k]) => k === 'dsn')) {
    const dsn = adapter.map(([k, v]) => `${k}='${v}'`).join(' ');
    adapter = [['dsn', dsn]];
  }
  return { type, generic, adapter };
}

/**
 * ZConfig reads `$name` and `${name}` in every value as a %define substitution and `$$` as a
 * `$`: the database adapter's settings (a password, above all) are written with `$` doubled, so
 * Zope reads them as written. Nobody means a %define there; elsewhere values are kept as given.
 */
export function zconfigLiteral(value: string): string {
  return value.replace(/\$/g, '$$$$');
}

export function storageSnippet(ctx: OptionsContext, relStorage: RelStorage | undefined, varDirectory: string): string {
  if (relStorage) {
    return [
      '    %import relstorage',
      '    <relstorage>',
      ...relStorage.generic.map(([k, v]) => `        ${k} ${v}`),
      `        <${relStorage.type}>`,
      ...relStorage.adapter.map(([k, v]) => `            ${k} ${zconfigLiteral(v)}`),
      `        </${relStorage.type}>`,
      '    </relstorage>',
    ].join('\n');
  }
  const file = path.resolve(
    ctx.paths.directory,
    ctx.options.get('file-storage')?.trim() || path.join(varDirectory, 'filestorage', 'Data.fs'),
  );
  const blobs = path.resolve(
    ctx.paths.directory,
    ctx.options.get('blob-storage')?.trim() || path.join(varDirectory, 'blobstorage'),
  );
  if (!ctx.options.has('file-storage')) ctx.set('file-storage', file); // a value the user set stays as written
  if (!ctx.options.has('blob-storage')) ctx.set('blob-storage', blobs);
  return [
    '    # Blob-enabled FileStorage database',
    '    <blobstorage>',
    `      blob-dir ${blobs}`,
    '      <filestorage>',
    `        path ${file}`,
    '      </filestorage>',
    '    </blobstorage>',
  ].join('\n');
}

/** `environment-vars`: `NAME value` per line (plone.recipe.zope2instance also takes several on one line). */
export function environmentVars(ctx: OptionsContext): Array<{ name: string; value: string }> {
  return ctx.options.lines('environment-vars').map((line) => {
    const [name, value] = keyValue(ctx, 'environment-vars', line);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw ctx.error('environment-vars', `${JSON.stringify(name)} is not an environment variable name`);
    return { name, value };
  });
}

/** The adapter's connection settings (the example application reads them back from zope.conf). */
export function adapterSetting(relStorage: RelStorage | undefined, key: string): string | undefined {
  return relStorage?.adapter.find(([k]) => k === key)?.[1] ?? relStorage?.generic.find(([k]) => k === key)?.[1];
}
