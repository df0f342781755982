/**
 * contentHash: a 64-bit non-cryptographic hash of a text or of bytes, as 16 hex digits (cyrb53's
 * two multiply-xorshift lanes, both kept whole). It tells whether generated content or an input
 * file changed since the last run; it is no defence against a forger (downloads are checked with
 * sha256). It is computed here, not with node:crypto, because loading that module (and the
 * streams it pulls in) costs about 7 ms, a tenth of a no-op run.
 */
export function contentHash(data: string | Uint8Array): string {
  let h1 = 0xdeadbeef ^ data.length;
  let h2 = 0x41c6ce57 ^ data.length;
  if (typeof data === 'string') {
    for (let i = 0; i < data.length; i++) {
      const c = data.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
  } else {
    for (let i = 0; i < data.length; i++) {
      const c = data[i];
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}
