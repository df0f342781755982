/**
 * TLS of a porter: the server-wide directives, where each route's certificate lives, and making a
 * self-signed one with openssl. The checks a certificate passes are in certificate-check.ts.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface CertificatePair {
  certificate: string;
  key: string;
}

/** Protocols and ciphers of Mozilla's "intermediate" profile (TLS 1.2 and 1.3 only). */
export const TLS_DIRECTIVES = [
  'ssl_protocols TLSv1.2 TLSv1.3;',
  'ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:' +
    'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:' +
    'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305;',
  'ssl_prefer_server_ciphers off;',
  'ssl_session_cache shared:porter_tls:10m;',
  'ssl_session_timeout 1d;',
  'ssl_session_tickets off;',
];

/** The file name a domain's self-signed certificate gets ("*.example.org" -> "_wildcard.example.org"). */
function fileStem(domain: string): string {
  return domain.replace(/^\*\./, '_wildcard.');
}

/** Where the self-signed certificate of a route without its own is made (var/porter/NAME/tls/). */
export function selfSignedPair(tlsDir: string, domain: string): CertificatePair {
  const stem = path.join(tlsDir, fileStem(domain));
  return { certificate: `${stem}.crt`, key: `${stem}.key` };
}

/** The default certificate: unknown names over HTTPS get the parked page under it. */
export function defaultPair(tlsDir: string): CertificatePair {
  return selfSignedPair(tlsDir, '_default');
}

/** openssl's arguments for a self-signed certificate of these names (the first is its subject). */
export function selfSignedArgv(openssl: string, pair: CertificatePair, names: string[]): string[] {
  return [
    openssl,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-keyout',
    pair.key,
    '-out',
    pair.certificate,
    '-days',
    '825',
    '-subj',
    `/CN=${names[0]}`,
    '-addext',
    `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
  ];
}

/** Makes a self-signed pair (unless it is there, or `replace`); the key is 0600 before openssl writes it. */
export function ensureSelfSigned(openssl: string, pair: CertificatePair, names: string[], replace = false): void {
  if (!replace && existsSync(pair.certificate) && existsSync(pair.key)) return;
  mkdirSync(path.dirname(pair.key), { recursive: true, mode: 0o755 });
  writeFileSync(pair.key, '', { mode: 0o600 });
  execFileSync(openssl, selfSignedArgv(openssl, pair, names).slice(1), { stdio: 'pipe', timeout: 60_000 });
  chmodSync(pair.key, 0o600);
  chmodSync(pair.certificate, 0o644);
}
