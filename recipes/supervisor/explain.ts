/**
 * What the supervisor's config-sha256 stands for, as flat named values (ctx.set's explain): one
 * key per program field (`program varnish: command`, `program instance1: environment DB_PASSWORD`)
 * and per setting (`panel.port`), so the plan says which program changed and how, not that a
 * digest did. Secrets in it are masked by the engine.
 */
import type { SupervisorFile } from '../../programs/process-manager/public';

function words(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function flatten(value: unknown, prefix: string, out: Record<string, string>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else if (value !== undefined) {
    out[prefix] = words(value);
  }
}

export function explainConfig(config: SupervisorFile): Record<string, string> {
  const out: Record<string, string> = {};
  const { programs, ...settings } = config;
  flatten(settings, '', out);
  for (const program of programs) {
    const { environment, name, ...fields } = program;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) out[`program ${name}: ${key}`] = words(value);
    }
    for (const [key, value] of Object.entries(environment ?? {})) out[`program ${name}: environment ${key}`] = value;
  }
  return out;
}
