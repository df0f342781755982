/**
 * A tiny ustar writer for tests: it writes exactly the entries it is given, including the ones no
 * honest tool would write (`../evil`, `/etc/x`, symlinks out of the tree), so the archive safety
 * rules can be tested with real bytes. Compression: gzip in-process, bzip2/xz/zstd through the
 * Debian tools.
 */
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  path: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'chardev';
  content?: string | Buffer;
  linkpath?: string;
  mode?: number;
}

const TYPE_FLAG = { file: '0', hardlink: '1', symlink: '2', chardev: '3', dir: '5' } as const;

function header(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(512);
  const type = entry.type ?? 'file';
  if (Buffer.byteLength(entry.path) > 100)
    throw new Error(`tar-writer: path too long for a plain ustar header: ${entry.path}`);
  const put = (text: string, offset: number, length: number): void => {
    block.write(text, offset, length, 'utf8');
  };
  const octal = (value: number, length: number): string => `${value.toString(8).padStart(length - 1, '0')}\0`;
  put(entry.path, 0, 100);
  put(octal(entry.mode ?? (type === 'dir' ? 0o755 : 0o644), 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(Math.floor(Date.now() / 1000), 12), 136, 12);
  put('        ', 148, 8); // checksum field counts as spaces while summing
  put(TYPE_FLAG[type], 156, 1);
  put(entry.linkpath ?? '', 157, 100);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const byte of block) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return block;
}

/** An uncompressed tar of the entries, in order. */
export function tarOf(entries: TarEntry[]): Buffer {
  const chunks: Buffer[] = [];
  for (const entry of entries) {
    const body = entry.type === undefined || entry.type === 'file' ? Buffer.from(entry.content ?? '') : Buffer.alloc(0);
    chunks.push(header(entry, body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  chunks.push(Buffer.alloc(1024));
  return Buffer.concat(chunks);
}

export type Compression = 'none' | 'gzip' | 'bzip2' | 'xz' | 'zstd';

export function compress(tar: Buffer, how: Compression): Buffer {
  if (how === 'none') return tar;
  if (how === 'gzip') return gzipSync(tar);
  const argv = { bzip2: ['bzip2', '-c'], xz: ['xz', '-c'], zstd: ['zstd', '-c', '-q'] }[how];
  const result = spawnSync(argv[0], argv.slice(1), { input: tar, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${argv[0]} failed: ${result.stderr}`);
  return result.stdout;
}

export function archiveOf(entries: TarEntry[], how: Compression = 'gzip'): Buffer {
  return compress(tarOf(entries), how);
}
