/**
 * The TLS handshake rate of a server: connections opened CONCURRENCY at a time for a while, each
 * closed once its handshake is done (TLS 1.3, no session reuse), the server name taken in turn
 * from a list (SNI). Certificates are not verified: the servers measured use self-signed ones.
 */
import * as tls from 'node:tls';

export interface HandshakeRate {
  perSecond: number;
  handshakes: number;
  errors: number;
}

function handshake(port: number, servername: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      servername,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.3',
      session: undefined,
    });
    const timer = setTimeout(() => socket.destroy(new Error('timed out')), 10_000);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

export async function handshakeRate(
  port: number,
  names: string[],
  durationMs: number,
  concurrency = 16,
): Promise<HandshakeRate> {
  const started = Date.now();
  const deadline = started + durationMs;
  let handshakes = 0;
  let errors = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (Date.now() < deadline) {
      if (await handshake(port, names[next++ % names.length])) handshakes++;
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { perSecond: handshakes / ((Date.now() - started) / 1000), handshakes, errors };
}
