/** ANSI colours, only when the stream is a terminal and NO_COLOR is unset. */
export interface Palette {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

function wrap(open: number, close: number): (text: string) => string {
  return (text) => `\x1b[${open}m${text}\x1b[${close}m`;
}

const plain: Palette = {
  red: (t) => t,
  yellow: (t) => t,
  green: (t) => t,
  cyan: (t) => t,
  dim: (t) => t,
  bold: (t) => t,
};

const ansi: Palette = {
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  green: wrap(32, 39),
  cyan: wrap(36, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};

/** Colours for output going to a terminal (isTTY), unless NO_COLOR or TERM=dumb say otherwise. */
export function paletteForTerminal(isTTY: boolean): Palette {
  return isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb' ? ansi : plain;
}

export function paletteFor(stream: NodeJS.WriteStream): Palette {
  return paletteForTerminal(stream.isTTY === true);
}

/**
 * The palette for a file descriptor (1 or 2) without creating process.stdout / process.stderr:
 * making those stream objects costs a few milliseconds, which short runs that never write to
 * them (annotate --json, a quiet no-op run) should not pay.
 */
export function paletteForFd(fd: number): Palette {
  const { isatty } = require('node:tty') as typeof import('node:tty');
  return paletteForTerminal(isatty(fd));
}
