/** The network timeout a run may set (-t SECONDS or [buildout] socket-timeout): whole seconds. */
export const MAX_TIMEOUT = 86_400;

export function validTimeout(seconds: string): boolean {
  const value = Number(seconds);
  return /^\d+$/.test(seconds) && value >= 1 && value <= MAX_TIMEOUT;
}
