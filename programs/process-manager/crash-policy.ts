/**
 * What happens when a program exits on its own. pm2's autorestart is off for our programs: it
 * cannot give up honestly (its status stays "waiting restart" forever). Here: restart with
 * exponential backoff (base, doubled per consecutive quick exit, capped), and after
 * `maxRetries` quick exits in a row give up and mark the program FATAL with the reason. A run
 * that lasted `stableAfterMs` resets the count.
 */
import type { Program } from './config';
import type { Runtime } from './runtime';
import { isRunning, launch } from './start-program';
import { lastLines } from './log-tail';
import { describeExit, exitOf, type ExitStatus } from './exit-status';

/** Grace after a start during which a missing process is not yet taken for an exit. */
const START_GRACE_MS = 3000;

export function backoffDelay(failures: number, restart: Runtime['config']['restart']): number {
  return Math.min(restart.baseDelayMs * 2 ** Math.max(0, failures - 1), restart.maxDelayMs);
}

export class CrashPolicy {
  constructor(private readonly rt: Runtime) {}

  private program(name: string): Program | undefined {
    return this.rt.config.programs.find((p) => p.name === name);
  }

  /** A program's process exited (from pm2's event bus, or found dead by tick()). */
  onExit(name: string, exit: ExitStatus): void {
    const { db, config } = this.rt;
    const program = this.program(name);
    const control = db.control(name);
    if (!program || !control) return;
    db.setControl(name, { last_exit_code: exit.code, last_exit_signal: exit.signal, last_exit_at: Date.now() });
    const how = describeExit(exit);
    if (control.desired !== 'running' || control.stopping || control.fatal || control.next_restart_at) return;
    const upMs = Date.now() - (control.started_at ?? Date.now());
    const failures = upMs >= config.restart.stableAfterMs ? 1 : control.failures + 1;
    if (failures > config.restart.maxRetries) {
      const logLine = lastLines(program.errLog, 1)[0] ?? lastLines(program.outLog, 1)[0] ?? '(its logs are empty)';
      const fatal =
        `exited ${failures} times in a row, each within ` +
        `${(config.restart.stableAfterMs / 1000).toFixed(0)} s of starting (last ${how}); gave up after ` +
        `${config.restart.maxRetries} restarts. Last log line: ${logLine}`;
      db.setControl(name, { failures, fatal, next_restart_at: null });
      db.event(name, 'fatal', fatal);
      this.rt.say(`${name}: FATAL: ${fatal}`);
      return;
    }
    const delay = backoffDelay(failures, config.restart);
    db.setControl(name, { failures, next_restart_at: Date.now() + delay });
    db.event(name, 'exited', `${how}; restart ${failures} of ${config.restart.maxRetries} in ${delay} ms`);
    this.rt.say(
      `${name}: ${exit.signal ? how : `exited with code ${exit.code}`} after ${(upMs / 1000).toFixed(1)} s; ` +
        `restarting in ${delay} ms (${failures}/${config.restart.maxRetries})`,
    );
  }

  /** Fires due restarts, and notices exits the event bus did not report (the agent was down). */
  async tick(): Promise<void> {
    const now = Date.now();
    for (const control of this.rt.db.controls()) {
      const program = this.program(control.name);
      if (!program || control.desired !== 'running' || control.stopping || control.fatal) continue;
      if (await isRunning(this.rt, program.name)) continue;
      if (control.next_restart_at && control.next_restart_at <= now) {
        try {
          await launch(this.rt, program, 'restart');
        } catch (error) {
          this.rt.say(`${program.name}: restart failed: ${(error as Error).message}`);
          this.rt.db.setControl(program.name, { next_restart_at: null, started_at: now });
          this.onExit(program.name, { code: null, signal: null });
        }
      } else if (!control.next_restart_at && now - (control.started_at ?? 0) > START_GRACE_MS) {
        this.onExit(program.name, exitOf(await this.rt.pm2.find(program.name)));
      }
    }
  }
}
