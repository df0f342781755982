/**
 * Checksums of downloaded files: sha256 (the default, and what new configs should pin) and md5
 * for configs carried over from buildout (`md5sum = ...`).
 */

export interface Checksum {
  algorithm: 'sha256' | 'md5';
  hex: string;
}

/** Reads "sha256:abc...", "md5:abc..." or a bare hex digest (length decides). */
export function parseChecksum(text: string): Checksum | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!trimmed) return undefined;
  const [algorithm, hex] = trimmed.includes(':')
    ? trimmed.split(':', 2)
    : [trimmed.length === 32 ? 'md5' : 'sha256', trimmed];
  if ((algorithm === 'sha256' && /^[0-9a-f]{64}$/.test(hex)) || (algorithm === 'md5' && /^[0-9a-f]{32}$/.test(hex))) {
    return { algorithm, hex };
  }
  throw new Error(`not a sha256 (64 hex digits) or md5 (32 hex digits) checksum: ${JSON.stringify(text)}`);
}

export function describeChecksum(checksum: Checksum): string {
  return `${checksum.algorithm}:${checksum.hex}`;
}
