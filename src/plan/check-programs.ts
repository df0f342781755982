/**
 * checkPrograms: what the original deployment left to luck, checked at assembly. Program names
 * are unique; no two programs listen on one address and port (0.0.0.0 overlaps every address);
 * ports are in range; and each hop's upstream (nginx -> varnish -> haproxy -> instances) is an
 * address some program of the deployment listens on.
 */
import type { Address, ProgramSpec } from '../recipe';
import type { ZetaError } from '../errors/zeta-error';
import { installErrors } from '../errors/codes';

const WILDCARD = new Set(['0.0.0.0', '::', '*', '']);

function show(address: Address): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

function normal(host: string): string {
  return host === 'localhost' ? '127.0.0.1' : host;
}

function overlaps(a: Address, b: Address): boolean {
  if (a.port !== b.port) return false;
  return WILDCARD.has(a.host) || WILDCARD.has(b.host) || normal(a.host) === normal(b.host);
}

export function checkPrograms(programs: ProgramSpec[]): ZetaError[] {
  const problems: ZetaError[] = [];
  const byName = new Map<string, ProgramSpec>();
  for (const program of programs) {
    const other = byName.get(program.name);
    if (other) {
      problems.push(installErrors.programClash(program.name, other.part, program.part));
    }
    byName.set(program.name, program);
    for (const address of [...program.listen, ...(program.upstream ?? [])]) {
      if (!Number.isInteger(address.port) || address.port < 1 || address.port > 65535) {
        problems.push(installErrors.portOutOfRange(program.name, program.part, address.port));
      }
    }
  }
  const listeners = programs.flatMap((program) => program.listen.map((address) => ({ program, address })));
  for (let i = 0; i < listeners.length; i++) {
    for (let j = i + 1; j < listeners.length; j++) {
      const a = listeners[i],
        b = listeners[j];
      if (overlaps(a.address, b.address)) {
        const second = { program: b.program.name, part: b.program.part, address: show(b.address) };
        problems.push(installErrors.addressClash(a.program.name, second));
      }
    }
  }
  for (const program of programs) {
    for (const upstream of program.upstream ?? []) {
      if (!listeners.some((l) => overlaps(l.address, upstream) && l.program !== program)) {
        const near = listeners.filter(
          (l) => l.address.port === upstream.port || normal(l.address.host) === normal(upstream.host),
        );
        const shown = { program: program.name, part: program.part, address: show(upstream) };
        problems.push(
          installErrors.upstreamMismatch(
            shown,
            near.map((l) => `${show(l.address)} (${l.program.name})`),
          ),
        );
      }
    }
  }
  return problems;
}
