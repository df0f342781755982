/**
 * Talking to the process manager's control panel the way a client on the network would: raw
 * requests (the target sent byte for byte, no client-side normalisation), optionally from a
 * chosen local address (127.0.0.2 is a different client to the panel than 127.0.0.1), and the
 * login form posted as a browser posts it.
 */
import * as net from 'node:net';

export interface PanelAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function unchunk(raw: string): string {
  let body = '';
  for (let at = 0; ;) {
    const eol = raw.indexOf('\r\n', at);
    const size = Number.parseInt(raw.slice(at, eol), 16);
    if (!(size > 0)) return body;
    body += raw.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/** One HTTP/1.1 request with `target` exactly as given; the connection closes after it. */
export function rawRequest(
  port: number,
  target: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {},
): Promise<PanelAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: options.from });
    const body = options.body ?? '';
    const headers = {
      host: `127.0.0.1:${port}`,
      connection: 'close',
      'content-length': String(Buffer.byteLength(body)),
      ...options.headers,
    };
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${target} within 15 s`));
    }, 15_000);
    let data = '';
    socket.on('connect', () =>
      socket.write(
        `${options.method ?? 'GET'} ${target} HTTP/1.1\r\n${Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('')}\r\n${body}`,
      ),
    );
    socket.on('data', (chunk) => (data += chunk.toString('utf8')));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const [head, ...rest] = data.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      const raw = rest.join('\r\n\r\n');
      resolve({ status, headers, body: /chunked/i.test(headers['transfer-encoding'] ?? '') ? unchunk(raw) : raw });
    });
  });
}

/** Posts the login form; returns the answer and the session cookie when it was accepted. */
export async function login(
  port: number,
  user: string,
  password: string,
  from?: string,
): Promise<PanelAnswer & { cookie?: string }> {
  const answer = await rawRequest(port, '/login', {
    method: 'POST',
    from,
    body: new URLSearchParams({ user, password }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: `http://127.0.0.1:${port}` },
  });
  const cookie = answer.headers['set-cookie']?.split(';')[0];
  return { ...answer, cookie };
}
