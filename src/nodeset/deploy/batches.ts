/**
 * The batches of the app nodes after the canary, as explicit node counts for Ansible's `serial`:
 * `[nodeset] serial` after its first entry (the canary's), counts or percentages of those other
 * app nodes, at least one each; the last entry repeats.
 */
export function laterBatches(serial: Array<number | string>, others: number): number[] {
  const steps = serial.length > 1 ? serial.slice(1) : [serial[0] ?? 1];
  const out: number[] = [];
  for (let i = 0, left = others; left > 0; i++) {
    const step = steps[Math.min(i, steps.length - 1)];
    const size =
      typeof step === 'string' && step.endsWith('%')
        ? Math.max(1, Math.floor((others * Number(step.slice(0, -1))) / 100))
        : Math.max(1, Number(step));
    out.push(Math.min(size, left));
    left -= Math.min(size, left);
  }
  return out.length ? out : [1];
}
