import * as net from 'node:net';
import { closeSync, mkdirSync, openSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { waitFor } from './wait';

const handedOut = new Set<number>();

/**
 * Ports handed out to the test files running at the same time: the kernel may give two processes
 * the same free port between one's check and its daemon's bind (seen: two stacks both given one
 * memcached port). Each port handed out is reserved by creating a file exclusively; a reservation
 * older than any test run (15 minutes) is stale, and this process's own go at exit.
 */
const RESERVATIONS = path.join(tmpdir(), 'zeta-test-ports');
const STALE_MS = 15 * 60_000;
const reserved: string[] = [];

function reserve(port: number): boolean {
  mkdirSync(RESERVATIONS, { recursive: true });
  const file = path.join(RESERVATIONS, String(port));
  try {
    closeSync(openSync(file, 'wx'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    try {
      if (Date.now() - statSync(file).mtimeMs < STALE_MS) return false;
      const now = new Date();
      utimesSync(file, now, now);
    } catch {
      return false;
    }
  }
  if (!reserved.length) {
    process.once('exit', () => {
      for (const own of reserved)
        try {
          unlinkSync(own);
        } catch {
          /* already gone */
        }
    });
  }
  reserved.push(file);
  return true;
}

/** A TCP port free on 127.0.0.1 now, handed out to no other test process or earlier caller. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port: p } = server.address() as net.AddressInfo;
        server.close(() => resolve(p));
      });
    });
    if (!handedOut.has(port) && reserve(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

/** Several distinct free ports. */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  return ports;
}

/** Waits until something accepts connections on host:port, or throws after timeoutMs. */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<void> {
  await waitFor(() => isListening(port, host), { what: `something to listen on ${host}:${port}`, timeoutMs });
}

/** Whether something listens on host:port right now. */
export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
