/** `supervisorctl history NAME [--json] [--limit N]`: the monitor's samples and events of one program. */
import { databaseFile, type SupervisorConfig } from './config';
import { StateDb } from './state-db';
import { isProgramName, selectPrograms } from './select-programs';
import { formatBytes } from '../../src/util/units';
import { cliErrors } from '../../src/errors/factories/cli';

export async function history(config: SupervisorConfig, args: string[]): Promise<number> {
  const at = args.indexOf('--limit');
  const limit = at >= 0 ? Number(args[at + 1]) : 20;
  const names = args.filter((a, i) => !a.startsWith('--') && !(at >= 0 && i === at + 1));
  if (names.length !== 1 || !Number.isInteger(limit) || limit < 1) {
    const message = 'history needs one program name (and --limit N with N >= 1)';
    throw cliErrors.badUsage(message, 'bin/supervisorctl history instance1 --limit 50');
  }
  const [program] = selectPrograms(config, names);
  if (!isProgramName(config, names[0])) {
    const message = `history takes one program, and "${names[0]}" is a group`;
    throw cliErrors.badUsage(message, `e.g. bin/supervisorctl history ${program.name}`);
  }
  const db = StateDb.open(databaseFile(config), config.monitor.maxSamples);
  const service = db.services().find((s) => s.name === program.name);
  const samples = db.samples(program.name, limit);
  const events = db.events(program.name, limit);
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ program: program.name, service, samples, events }, null, 2)}\n`);
    return 0;
  }
  const out = [
    `${program.name} (${program.type}) ` +
      `${service ? `${service.address}:${service.port ?? '-'} running=${service.running ? 'yes' : 'no'} pid=${service.pid ?? '-'}` : '(not yet seen by the monitor)'}`,
  ];
  out.push('TIME      STATE      PID      CPU   MEM      RESTARTS');
  for (const s of samples) {
    out.push(
      `${new Date(s.ts).toTimeString().slice(0, 8)}  ${s.state.padEnd(9)}  ${String(s.pid ?? '-').padEnd(7)}  ` +
        `${String(s.cpu ?? '-').padStart(3)}%  ${formatBytes(s.memory).padEnd(7)}  ${s.restarts}`,
    );
  }
  out.push('events (newest first):');
  for (const e of events) out.push(`  ${new Date(e.ts).toTimeString().slice(0, 8)}  ${e.event}  ${e.detail}`);
  process.stdout.write(`${out.join('\n')}\n`);
  db.close();
  return 0;
}
