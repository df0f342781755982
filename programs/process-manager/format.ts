/**
 * The files the supervisor recipe writes and the process manager reads: supervisor.json (the
 * runtime configuration) and the pm2 ecosystem. One definition for both sides; the process
 * manager refuses a file of another FORMAT_VERSION (a tree assembled by an older Zetaserver)
 * instead of misreading it.
 */
import type { ProgramSpec } from '../../src/recipe';

/** Bumped whenever a field changes meaning or becomes required. */
export const FORMAT_VERSION = 1;

export interface ProgramEntry extends ProgramSpec {
  /** The generated wrapper that gives the program exactly its environment. */
  wrapper: string;
  /** pm2 writes its stdout and stderr there (the same file with redirect_stderr). */
  outLog: string;
  errLog: string;
  /** `programs` lines only: supervisord's autostart, startsecs and redirect_stderr. */
  autostart?: boolean;
  startSecs?: number;
  redirectStderr?: boolean;
}

/** The crash-loop policy: exponential back-off from baseDelayMs, capped, reset by a stable run. */
export interface RestartPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A run at least this long counts as stable: the next crash is failure 1 again. */
  stableAfterMs: number;
}

export const DEFAULT_RESTART: Omit<RestartPolicy, 'maxRetries'> = {
  baseDelayMs: 500,
  maxDelayMs: 15_000,
  stableAfterMs: 10_000,
};

export interface SupervisorFile {
  version: typeof FORMAT_VERSION;
  part: string;
  directory: string;
  /** The link the programs run the tree through (run-from), when not the directory itself. */
  runFrom?: string;
  /** Short on purpose: pm2's unix sockets live there (sun_path holds 107 bytes). */
  pm2Home: string;
  logDir: string;
  /** The pm2 ecosystem the recipe generated: { apps: [...] }. */
  ecosystem: string;
  stateDir: string;
  panel: {
    host: string;
    port: number;
    user: string;
    password: string;
    /** PEM files of the panel's own certificate and key: it serves HTTPS, read when the agent starts. */
    tls?: { certificate: string; key: string };
  };
  logs: { maxBytes: number; backups: number };
  monitor: { intervalMs: number; maxSamples: number };
  restart: RestartPolicy;
  links: Array<{ title: string; url: string }>;
  /**
   * The agent's machine-readable side (/metrics and the token-guarded APIs): the file holding its
   * bearer token (0600), this node's name, and the other nodes' agents it reads. Optional: a
   * tree assembled before it has none, and its agent serves only the panel. `peerCa`: the PEM
   * file that the peers' https certificates are checked against (else the system's roots).
   */
  agent?: {
    tokenFile: string;
    node: string;
    /** Shown beside the node's name: its role in a nodeset. */
    role?: string;
    peers: Array<{ name: string; url: string }>;
    peerCa?: string;
  };
  programs: ProgramEntry[];
}

/** A program's entry in the pm2 ecosystem file ({ apps: Pm2App[] }). */
export interface Pm2App {
  name: string;
  script: string;
  interpreter: 'none';
  exec_mode: 'fork';
  cwd: string;
  autorestart: false;
  treekill: boolean;
  kill_timeout: number;
  out_file: string;
  error_file: string;
  merge_logs: true;
  time: true;
}

/**
 * The pm2 entry of a program. autorestart is off: pm2 cannot give up on a crash loop and report
 * it (its status stays "waiting restart"), and it cannot send a per-program stop signal; the
 * agent does both (crash-policy.ts, stop-program.ts).
 */
export function pm2App(program: ProgramEntry, cwd: string): Pm2App {
  return {
    name: program.name,
    script: program.wrapper,
    interpreter: 'none',
    exec_mode: 'fork',
    cwd: program.directory ?? cwd,
    autorestart: false,
    treekill: !program.ownProcessGroup,
    kill_timeout: program.stopTimeoutMs,
    out_file: program.outLog,
    error_file: program.errLog,
    merge_logs: true,
    time: true,
  };
}
