/**
 * checkPrograms: what the original deployment left to luck, checked at assembly. Program names
 * are unique; no two programs listen on one address and port (0.0.0.0 overlaps every address);
 * ports are in range; and each hop's upstream (nginx -> varnish -> haproxy -> instances) is an
 * address some program of the deployment listens on.
 */
import type { Address, ProgramSpec } from '../recipe';
import { ZetaError } from '../errors/zeta-error';

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
      problems.push(new ZetaError('PROGRAM_CLASH', `two parts declare a program named "${program.name}": [${other.part}] and [${program.part}]`, {
        section: program.part, hint: 'program names must be unique; rename one of the parts.',
      }));
    }
    byName.set(program.name, program);
    for (const address of [...program.listen, ...(program.upstream ?? [])]) {
      if (!Number.isInteger(address.port) || address.port < 1 || address.port > 65535) {
        problems.push(new ZetaError('PORT_OUT_OF_RANGE', `program "${program.name}" uses port ${address.port}, which is not between 1 and 65535`, { section: program.part }));
      }
    }
  }
  const listeners = programs.flatMap((program) => program.listen.map((address) => ({ program, address })));
  for (let i = 0; i < listeners.length; i++) {
    for (let j = i + 1; j < listeners.length; j++) {
      const a = listeners[i], b = listeners[j];
      if (overlaps(a.address, b.address)) {
        problems.push(new ZetaError('ADDRESS_CLASH', `programs "${a.program.name}" and "${b.program.name}" would both listen on ${show(b.address)}`, {
          section: b.program.part, hint: 'give one of them another port in [ports] (or another address in [hosts]).',
        }));
      }
    }
  }
  for (const program of programs) {
    for (const upstream of program.upstream ?? []) {
      if (!listeners.some((l) => overlaps(l.address, upstream) && l.program !== program)) {
        const near = listeners.filter((l) => l.address.port === upstream.port || normal(l.address.host) === normal(upstream.host));
        problems.push(new ZetaError('UPSTREAM_MISMATCH', `program "${program.name}" forwards to ${show(upstream)}, but no program of this deployment listens there`, {
          section: program.part,
          hint: near.length ? `did you mean ${near.map((l) => `${show(l.address)} (${l.program.name})`).join(' or ')}?` : 'point it at the next hop\'s listen address, or add the part that listens there.',
        }));
      }
    }
  }
  return problems;
}
