/**
 * Generates the benchmark configuration: N sections of 8 options each, half of the options
 * substitutions into other sections, spread over a chain of 3 files (root extends mid extends
 * base), each file holding a third of the sections and overriding a few of the others.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export function generateConfig(dir: string, sections: number): string {
  mkdirSync(dir, { recursive: true });
  const files = ['base.cfg', 'mid.cfg', 'buildout.cfg'];
  const bodies: string[][] = [[], [], []];
  bodies[0].push('[buildout]', 'parts =');
  bodies[1].push('[buildout]', 'extends = base.cfg');
  bodies[2].push('[buildout]', 'extends = mid.cfg', 'parts =');
  for (let i = 0; i < sections; i++) {
    const file = i % 3;
    const lines = bodies[file];
    lines.push(`[section-${i}]`);
    for (let o = 0; o < 8; o++) {
      if (o % 2 === 0 || i === 0) lines.push(`option-${o} = value-${i}-${o} with some text`);
      else {
        const target = (i * 7 + o * 13) % i; // an earlier section, so there are no cycles
        lines.push(`option-${o} = \${section-${target}:option-${o - 1}}`);
      }
    }
    if (i % 10 === 0 && file > 0) lines.push(`[section-${Math.floor(i / 2)}]`, `option-0 += extra-${i}`);
  }
  bodies.forEach((lines, index) => writeFileSync(path.join(dir, files[index]), `${lines.join('\n')}\n`));
  return path.join(dir, 'buildout.cfg');
}
