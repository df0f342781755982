/**
 * The run's logger: levels (-q / default / -v / -vv), colour only on a terminal, and one transient
 * progress line that redraws in place on a terminal and prints nothing otherwise.
 */
import { paletteFor, type Palette } from '../util/color';

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

export function createLogger(verbosity = 0, stream: NodeJS.WriteStream = process.stderr): Logger {
  const palette = paletteFor(stream);
  const tty = stream.isTTY === true;
  let shown = false;
  let lastDraw = 0;
  const clear = (): void => {
    if (shown) {
      stream.write('\r\x1b[2K');
      shown = false;
    }
  };
  const write = (message: string): void => {
    clear();
    stream.write(`${message}\n`);
  };
  return {
    verbosity,
    palette,
    interactive: tty && verbosity >= 0,
    info: (message) => { if (verbosity >= 0) write(message); },
    detail: (message) => { if (verbosity >= 1) write(palette.dim(message)); },
    debug: (message) => { if (verbosity >= 2) write(palette.dim(message)); },
    warn: (message) => write(`${palette.yellow('warning')}: ${message}`),
    progress: (message) => {
      if (!tty || verbosity < 0) return;
      const now = Date.now();
      if (now - lastDraw < 80) return; // redraw at most ~12 times a second
      lastDraw = now;
      const width = (stream.columns ?? 80) - 1;
      stream.write(`\r\x1b[2K${message.length > width ? `${message.slice(0, width - 1)}…` : message}`);
      shown = true;
    },
    clearProgress: clear,
  };
}

/** A logger that prints nothing: for library use and tests. */
export function silentLogger(): Logger {
  const noop = (): void => undefined;
  return { verbosity: -1, palette: paletteFor({ isTTY: false } as NodeJS.WriteStream), interactive: false, info: noop, detail: noop, debug: noop, warn: noop, progress: noop, clearProgress: noop };
}
