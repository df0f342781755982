/**
 * Test certificates made with openssl, and a TLS client that reports what the server presented
 * for a server name (SNI). An expired certificate comes from `openssl x509 -req -days -1`: its
 * notAfter is a day before its notBefore, which openssl 3.0 accepts (`req -x509` refuses -days -1).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import * as tls from 'node:tls';

export interface TestPair {
  certificate: string;
  key: string;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'pipe', timeout: 60_000 });
}

/** A self-signed pair for these names (the first is the subject's CN; an address is an IP name). */
export function makePair(dir: string, stem: string, names: string[], options: { expired?: boolean } = {}): TestPair {
  mkdirSync(dir, { recursive: true });
  const pair = { certificate: path.join(dir, `${stem}.crt`), key: path.join(dir, `${stem}.key`) };
  const san = `subjectAltName=${names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',')}`;
  if (!options.expired) {
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      pair.key,
      '-out',
      pair.certificate,
      '-days',
      '30',
      '-subj',
      `/CN=${names[0]}`,
      '-addext',
      san,
    ]);
    return pair;
  }
  const request = path.join(dir, `${stem}.csr`);
  openssl([
    'req',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    pair.key,
    '-out',
    request,
    '-subj',
    `/CN=${names[0]}`,
  ]);
  openssl(['x509', '-req', '-in', request, '-signkey', pair.key, '-days', '-1', '-out', pair.certificate]);
  return pair;
}

export interface Presented {
  subjectName: string;
  fingerprint: string;
  protocol: string | null;
}

/** Connects with this server name and returns the certificate the server presented. */
export function presented(
  port: number,
  servername: string | undefined,
  options: { minVersion?: tls.SecureVersion; maxVersion?: tls.SecureVersion; ciphers?: string } = {},
): Promise<Presented> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      {
        host: '127.0.0.1',
        port,
        servername,
        rejectUnauthorized: false,
        minVersion: options.minVersion,
        maxVersion: options.maxVersion,
        ciphers: options.ciphers,
        timeout: 10_000,
      },
      () => {
        const peer = socket.getPeerCertificate();
        const result = {
          subjectName: String(peer.subject?.CN),
          fingerprint: peer.fingerprint256,
          protocol: socket.getProtocol(),
        };
        socket.end();
        resolve(result);
      },
    );
    socket.on('timeout', () => socket.destroy(new Error(`TLS to ${servername} timed out`)));
    socket.on('error', reject);
  });
}

export interface HttpsAnswer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** GET over HTTPS with SNI and Host set to `host` (any certificate accepted: the test checks it). */
export function getHttps(port: number, host: string, urlPath = '/'): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        servername: host,
        headers: { host },
        rejectUnauthorized: false,
        agent: false,
        timeout: 15_000,
      },
      (res) => {
        let body = '';
        res
          .setEncoding('utf8')
          .on('data', (chunk: string) => (body += chunk))
          .on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET https://${host}${urlPath} timed out`)));
    req.on('error', reject);
    req.end();
  });
}
