/**
 * What kind of archive a file is, by its first bytes (URLs such as `.../download` say nothing),
 * and a stream of the plain tar inside it. gzip is decompressed in-process (node's zlib); bzip2,
 * xz and zstd are piped through Debian's own tools (`bzip2 -dc`, `xz -dc`, `zstd -dc`, argv only)
 * because neither node 20 nor the `tar` package can decompress them. The tools run through the
 * install context's exec, so an interrupted run stops them with the rest of the part.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { InstallContext } from '../../src/recipe';

/** The install context's exec: what runs the decompressors. */
export type Exec = InstallContext['exec'];

export type ArchiveFormat = 'tar' | 'gzip' | 'bzip2' | 'xz' | 'zstd' | 'zip' | 'unknown';

/**
 * An archive that cannot be read or would write outside its target; `hint` says what to do,
 * `option` which option the recipe should point at (default: the url).
 */
export class ArchiveError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly option = 'url',
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

const TOOLS: Record<string, Tool> = {
  bzip2: { argv: ['bzip2', '-dc'], debianPackage: 'bzip2' },
  xz: { argv: ['xz', '-dc'], debianPackage: 'xz-utils' },
  zstd: { argv: ['zstd', '-dcq'], debianPackage: 'zstd' },
};

function startsWith(head: Buffer, bytes: number[], offset = 0): boolean {
  return head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);
}

/** The archive format of a file, from its magic bytes. */
export function detectFormat(file: string): ArchiveFormat {
  const head = Buffer.alloc(512);
  const fd = openSync(file, 'r');
  let length: number;
  try {
    length = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const bytes = head.subarray(0, length);
  if (startsWith(bytes, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(bytes, [0x42, 0x5a, 0x68])) return 'bzip2'; // "BZh"
  if (startsWith(bytes, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (startsWith(bytes, [0x28, 0xb5, 0x2f, 0xfd])) return 'zstd';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (bytes.length >= 262 && bytes.toString('latin1', 257, 262) === 'ustar') return 'tar';
  return 'unknown';
}

export interface TarStream {
  /** The plain tar bytes. */
  stream: Readable;
  /** Settles when the decompressor has finished (rejects with an ArchiveError if it failed). */
  done: Promise<void>;
  /** Stops the decompressor early (the extraction failed). */
  stop(): void;
}

/** A stream of the tar inside `file`. */
export function openTar(exec: Exec, file: string, format: ArchiveFormat, shown: string): TarStream {
  if (format === 'tar' || format === 'gzip') {
    const raw = createReadStream(file);
    const stream = format === 'gzip' ? raw.pipe(createGunzip()) : raw;
    const done = new Promise<void>((resolve, reject) => {
      const fail = (error: Error): void =>
        reject(
          new ArchiveError(
            `${shown} is not a readable ${format} archive: ${error.message}`,
            'the file may be damaged; check the URL and its checksum.',
          ),
        );
      raw.on('error', fail);
      stream.on('error', fail);
      stream.on('end', () => resolve());
    });
    return { stream, done, stop: () => raw.destroy() };
  }
  const tool = TOOLS[format];
  if (!tool)
    throw new ArchiveError(
      `${shown} is not a tar archive (detected: ${format})`,
      'use a .tar.gz, .tar.bz2, .tar.xz, .tar.zst or .tgz archive (zip is not supported).',
    );
  return decompress(exec, tool, file, format, shown);
}

interface Tool {
  argv: string[];
  debianPackage: string;
}

function decompress(exec: Exec, tool: Tool, file: string, format: string, shown: string): TarStream {
  const { PassThrough } = require('node:stream') as typeof import('node:stream'); // loaded when a tool is needed
  const stream = new PassThrough();
  const abort = new AbortController();
  let stopped = false;
  const options = { cwd: path.dirname(file), stdout: stream, allowFailure: true, signal: abort.signal };
  const done = exec([...tool.argv, file], options).then(
    (result) => {
      if (result.code === 0 || stopped) return; // stopped: the extraction failed and said why
      const stderr = result.stderr.trim().slice(-2000);
      throw new ArchiveError(
        `${tool.argv.join(' ')} could not decompress ${shown} (exit ${result.code})${stderr ? `: ${stderr}` : ''}`,
        'the file may be damaged; check the URL and its checksum.',
      );
    },
    (error: { code?: string; message?: string }) => {
      stream.end();
      throw error.code === 'COMMAND_NOT_FOUND'
        ? new ArchiveError(
            `${tool.argv[0]} is needed to unpack ${shown} (a ${format} archive) and is not installed`,
            `install it: apt-get install ${tool.debianPackage}`,
          )
        : new ArchiveError(`cannot run ${tool.argv[0]} to unpack ${shown}: ${error.message}`);
    },
  );
  const stop = (): void => {
    stopped = true;
    abort.abort();
    stream.end();
  };
  return { stream, done, stop };
}
