/**
 * The run's logger: levels (-q / default / -v / -vv), colour only on a terminal, and one transient
 * progress line that redraws in place on a terminal and prints nothing otherwise.
 */
import { paletteForTerminal, type Palette } from '../util/color';

const PLAIN = paletteForTerminal(false);

export interface Logger {
  readonly verbosity: number;
  readonly palette: Palette;
  /** True when progress lines are drawn (a terminal, not -q). */
  readonly interactive: boolean;
  /** Normal output (hidden by -q). */
  info(message: string): void;
  /** Shown with -v. */
  detail(message: string): void;
  /** Shown with -vv. */
  debug(message: string): void;
  /** Always shown. */
  warn(message: string): void;
  /** A transient status line ("downloading x 30%"); only drawn on a terminal. */
  progress(message: string): void;
  clearProgress(): void;
}

/**
 * A logger writing to `stream`, standard error by default. The default stream is created on the
 * first message only: many runs print nothing.
 */
export function createLogger(verbosity = 0, given?: NodeJS.WriteStream): Logger {
  // asking whether standard error is a terminal loads node's tty module: only done when needed
  let palette: Palette | undefined;
  let tty: boolean | undefined;
  const isTTY = (): boolean =>
    (tty ??= given ? given.isTTY === true : (require('node:tty') as typeof import('node:tty')).isatty(2));
  const paletteOf = (): Palette => (palette ??= paletteForTerminal(isTTY()));
  let created = given;
  const streamOf = (): NodeJS.WriteStream => (created ??= process.stderr);
  let shown = false;
  let lastDraw = 0;
  const clear = (): void => {
    if (shown) {
      streamOf().write('\r\x1b[2K');
      shown = false;
    }
  };
  const write = (message: string): void => {
    clear();
    streamOf().write(`${message}\n`);
  };
  return {
    verbosity,
    // a quiet run prints nothing with it: no need to ask whether standard error is a terminal
    get palette() {
      return verbosity < 0 ? PLAIN : paletteOf();
    },
    get interactive() {
      return verbosity >= 0 && isTTY();
    },
    info: (message) => {
      if (verbosity >= 0) write(message);
    },
    detail: (message) => {
      if (verbosity >= 1) write(paletteOf().dim(message));
    },
    debug: (message) => {
      if (verbosity >= 2) write(paletteOf().dim(message));
    },
    warn: (message) => write(`${paletteOf().yellow('warning')}: ${message}`),
    progress: (message) => {
      if (verbosity < 0 || !isTTY()) return;
      const now = Date.now();
      if (now - lastDraw < 80) return; // redraw at most ~12 times a second
      lastDraw = now;
      const width = (streamOf().columns ?? 80) - 1;
      streamOf().write(`\r\x1b[2K${message.length > width ? `${message.slice(0, width - 1)}…` : message}`);
      shown = true;
    },
    clearProgress: clear,
  };
}

/** A logger that prints nothing: for library use and tests. */
export function silentLogger(): Logger {
  const noop = (): void => undefined;
  return {
    verbosity: -1,
    palette: PLAIN,
    interactive: false,
    info: noop,
    detail: noop,
    debug: noop,
    warn: noop,
    progress: noop,
    clearProgress: noop,
  };
}
