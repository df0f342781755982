/**
 * What /proc tells about processes and sockets: who holds a listening port (so "address already
 * in use" can name the holder's pid and command), a process's command line, whether it lives,
 * and its descendants.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses):
 * [0] is field 3 of proc(5), the state, [1] the parent pid, [2] the process group, [16] the
 * niceness. Throws when the process is gone.
 */
export function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return statFields(pid)[0] !== 'Z'; // a zombie has exited
  } catch {
    return false;
  }
}

/** Resident memory in bytes (VmRSS of /proc/PID/status), null when unknown. */
export function residentBytes(pid: number): number | null {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '?';
  }
}

function pids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

/** Listening TCP sockets: port -> socket inodes. */
export type ListenTable = Map<number, Set<string>>;

/**
 * Every LISTEN socket of the IPv4 and IPv6 tables, read once: the kernel walks all its sockets
 * for each read (4-7 ms here with many connections in TIME_WAIT), so callers checking several
 * ports share one snapshot instead of reading the tables per port.
 */
export function listeningTable(): ListenTable {
  const table: ListenTable = new Map();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== '0A') continue; // 0A = LISTEN
      const port = Number.parseInt(fields[1].split(':')[1], 16);
      table.set(port, (table.get(port) ?? new Set()).add(fields[9]));
    }
  }
  return table;
}

/** The processes holding a listening socket on the port (empty when it is free). */
export function portHolders(
  port: number,
  table: ListenTable = listeningTable(),
): Array<{ pid: number; command: string }> {
  const inodes = table.get(port) ?? new Set<string>();
  if (!inodes.size) return [];
  const holders: Array<{ pid: number; command: string }> = [];
  for (const pid of pids()) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1])) {
        holders.push({ pid, command: commandLine(pid) });
        break;
      }
    }
  }
  return holders;
}

/** Whether anything listens on the port (holder unknown when another user's process has it). */
export function portListening(port: number, table: ListenTable = listeningTable()): boolean {
  return (table.get(port)?.size ?? 0) > 0;
}

/**
 * Whether a live (not zombie) process is in the process group. A group whose members have all
 * exited still answers kill(-pgid, 0) until their parent reaps them, which for an orphan is
 * init, and some inits reap only now and then.
 */
export function groupHasLiveMember(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  return pids().some((pid) => {
    try {
      const fields = statFields(pid);
      return Number(fields[2]) === pgid && fields[0] !== 'Z';
    } catch {
      return false;
    }
  });
}

/** The pid and all its descendants. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of pids()) {
    try {
      const ppid = Number(statFields(pid)[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // gone meanwhile
    }
  }
  const tree: number[] = [];
  const walk = (pid: number): void => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(root);
  return tree;
}
