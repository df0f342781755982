/**
 * A generated daemon configuration checked by the daemon itself as soon as it is written (nginx
 * -t, haproxy -c, varnishd -C): a file the daemon would refuse, usually from an operator's own
 * `template`, fails the assembly at that part with the daemon's own message (file and line), and
 * the run rolls back, instead of the daemon failing at start or ignoring a later reload.
 * (At install, through ctx.exec; bin/porter's runtime `nginx -t` is programs/nginx/control.ts's checkConfig.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { InstallContext } from '../../src/recipe';

export interface DaemonCheck {
  /** The daemon's name, for messages. */
  daemon: string;
  /** The recipe's option naming an operator's own template, if it has one: the error points at it. */
  template?: string;
  /** The file checked. */
  file: string;
  /** argv of the check; `{scratch}` in an argument is replaced by a temporary directory. */
  argv: string[];
  env: Record<string, string>;
  /** Keeps the lines of the output that say what is wrong (haproxy adds notices). */
  relevant?: (line: string) => boolean;
}

/**
 * The generated line the daemon names (`FILE:LINE`, as nginx and haproxy write it): the run rolls
 * back and removes the file, so the message itself shows that line.
 */
function namedLine(output: string, file: string, text: string): string | undefined {
  const match = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)`).exec(output);
  if (!match) return undefined;
  const line = text.split('\n')[Number(match[1]) - 1];
  return line === undefined ? undefined : `line ${match[1]} of the generated file: ${line.trim()}`;
}

/** Runs the check on the file just written from `text`; an error at the part if the daemon refuses it. */
export async function checkWithDaemon(ctx: InstallContext, check: DaemonCheck, text: string): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'zeta-config-check-'));
  try {
    const argv = check.argv.map((arg) => arg.replace('{scratch}', scratch));
    const result = await ctx.exec(argv, {
      cwd: scratch,
      env: check.env,
      cleanEnv: true,
      allowFailure: true,
      timeoutMs: 60_000,
      step: `${check.daemon} config check`,
    });
    if (result.code === 0) return;
    const output = `${result.stdout}\n${result.stderr}`;
    const lines = output.split('\n').filter((line) => line.trim() && (check.relevant?.(line) ?? true));
    const named = namedLine(output, check.file, text);
    if (named) lines.push(named);
    const own = check.template !== undefined && ctx.options.has(check.template) ? check.template : undefined;
    throw ctx.error(
      own ?? 'recipe',
      `${check.daemon} refuses the generated ${check.file}:\n${lines.join('\n')}`,
      own
        ? 'the generated file is rolled back; fix the template this line comes from.'
        : 'the generated file is rolled back; this is usually an option value the daemon cannot use.',
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
