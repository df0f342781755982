/**
 * warnUnknownOptions: a part may carry extra options (other parts read them), so an unknown
 * option is not an error; but one a letter or two away from a known option is almost always a
 * typo (`configure-option`), and silently ignoring it would build the wrong thing.
 */
import type { OptionsContext } from '../../src/recipe';

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length];
}

export function warnUnknownOptions(ctx: OptionsContext, known: readonly string[]): void {
  for (const [option] of ctx.options.entries()) {
    if (known.includes(option)) continue;
    const near = known.find((k) => distance(option, k) <= 2);
    if (near) ctx.warn(`[${ctx.name}] has the option "${option}", which the recipe does not use; did you mean "${near}"?`);
  }
}
