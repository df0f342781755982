/**
 * `supervisorctl tail [-f] NAME [stderr]`: the end of a program's log, and with -f what follows,
 * across rotations (the file shrinking or being replaced starts the reading over).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { SupervisorConfig } from './config';
import { lastLines } from './log-tail';
import { isProgramName, selectPrograms } from './select-programs';
import { cliErrors } from '../../src/errors/factories/cli';

function follow(file: string): Promise<number> {
  let position = (() => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  })();
  let inode = (() => {
    try {
      return statSync(file).ino;
    } catch {
      return 0;
    }
  })();
  return new Promise(() => {
    setInterval(() => {
      let stat;
      try {
        stat = statSync(file);
      } catch {
        return;
      }
      if (stat.ino !== inode || stat.size < position) {
        inode = stat.ino;
        position = 0;
      }
      if (stat.size === position) return;
      const fd = openSync(file, 'r');
      try {
        const buffer = Buffer.alloc(stat.size - position);
        readSync(fd, buffer, 0, buffer.length, position);
        position = stat.size;
        process.stdout.write(buffer);
      } finally {
        closeSync(fd);
      }
    }, 200);
  });
}

export async function tail(config: SupervisorConfig, args: string[]): Promise<number> {
  const follows = args.includes('-f');
  const words = args.filter((a) => a !== '-f');
  if (!words.length || words.length > 2 || (words[1] && !['stderr', 'stdout'].includes(words[1]))) {
    const message = 'tail needs one program name, then optionally stderr';
    throw cliErrors.badUsage(message, 'bin/supervisorctl tail -f nginx stderr');
  }
  const [program] = selectPrograms(config, [words[0]]);
  if (!isProgramName(config, words[0])) {
    const message = `tail takes one program, and "${words[0]}" is a group`;
    throw cliErrors.badUsage(message, `e.g. bin/supervisorctl tail ${program.name}`);
  }
  const file = words[1] === 'stderr' ? program.errLog : program.outLog;
  const lines = lastLines(file, 40);
  if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
  return follows ? follow(file) : 0;
}
