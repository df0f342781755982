/**
 * The files of a zope-instance part, rendered in the options phase from the templates in
 * templates/zope-instance/ (each overridable by an option): etc/zope.conf, etc/wsgi.ini,
 * etc/site.zcml, inituser and the control script bin/<part>.
 */
import type { OptionsContext } from '../../src/recipe';
import { loadTemplate } from '../shared/templates';

export interface InstanceLayout {
  location: string;
  clientHome: string;
  zopeConf: string;
  wsgiIni: string;
  siteZcml: string;
  inituser: string;
  script: string;
  pidFile: string;
  eventLog?: string;
  accessLog?: string;
}

export interface InstanceFiles {
  zopeConf: string;
  wsgiIni: string;
  siteZcml: string;
  script: string;
  inituser?: string;
}

/** `user = name:password` -> Zope's inituser line (`name:{SHA}base64(sha1(password))`). */
export function inituserLine(ctx: OptionsContext): string | undefined {
  const value = ctx.options.get('user')?.trim();
  if (!value) return undefined;
  const at = value.indexOf(':');
  if (at <= 0 || at === value.length - 1)
    throw ctx.error(
      'user',
      `option user of [${ctx.name}] must be NAME:PASSWORD (the initial Zope manager), not ${JSON.stringify(value)}`,
      'for example: user = admin:secret',
    );
  // loaded here: node:crypto (and the streams it pulls in) costs a cold run milliseconds to load
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const digest = createHash('sha1')
    .update(value.slice(at + 1))
    .digest('base64');
  return `${value.slice(0, at)}:{SHA}${digest}\n`;
}

/**
 * A Python logging handler (class and args) for a log file, or none when disabled. Watched:
 * after the process manager renames the file away (rotation) the next record goes to the fresh
 * file, not on into the renamed one.
 */
function handler(file: string | undefined): { cls: string; args: string } {
  return file
    ? { cls: 'handlers.WatchedFileHandler', args: `(${JSON.stringify(file)}, 'a')` }
    : { cls: 'NullHandler', args: '()' };
}

export function renderInstanceFiles(
  ctx: OptionsContext,
  layout: InstanceLayout,
  view: Record<string, unknown>,
): InstanceFiles {
  const event = handler(layout.eventLog);
  const access = handler(layout.accessLog);
  const full: Record<string, unknown> = {
    ...view,
    part: ctx.name,
    location: layout.location,
    client_home: layout.clientHome,
    zope_conf: layout.zopeConf,
    wsgi_ini: layout.wsgiIni,
    script: layout.script,
    event_log_class: event.cls,
    event_log_args: event.args,
    access_log_class: access.cls,
    access_log_args: access.args,
    access_log: !!layout.accessLog,
    // Python literals for the control script (JSON strings are valid Python strings)
    part_literal: JSON.stringify(ctx.name),
    wsgi_ini_literal: JSON.stringify(layout.wsgiIni),
    zope_conf_literal: JSON.stringify(layout.zopeConf),
    location_literal: JSON.stringify(layout.location),
    client_home_literal: JSON.stringify(layout.clientHome),
    pid_file_literal: JSON.stringify(layout.pidFile),
    event_log_literal: JSON.stringify(layout.eventLog ?? ''),
  };
  const render = (option: string, builtin: string): string => {
    const { text, file } = loadTemplate(ctx, option, 'zope-instance', builtin);
    return ctx.render(text, full, file);
  };
  return {
    zopeConf: render('zope-conf-template', 'zope.conf'),
    wsgiIni: render('wsgi-ini-template', 'wsgi.ini'),
    siteZcml: render('site-zcml-template', 'site.zcml'),
    script: render('script-template', 'instance-script.py'),
    inituser: inituserLine(ctx),
  };
}
