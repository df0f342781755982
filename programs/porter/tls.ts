/**
 * TLS of a porter: where each route's certificate lives, the checks a certificate must pass before
 * it reaches nginx (its key matches, it has not expired, its names cover every domain of the
 * route), and the server-wide TLS directives. The checks use node:crypto's X509Certificate, so
 * they need no openssl; only making a self-signed certificate runs openssl. Problems are data.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Problem } from './problems';

export interface CertificatePair {
  certificate: string;
  key: string;
}

/** Protocols and ciphers of Mozilla's "intermediate" profile (TLS 1.2 and 1.3 only). */
export const TLS_DIRECTIVES = [
  'ssl_protocols TLSv1.2 TLSv1.3;',
  'ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:'
    + 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:'
    + 'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305;',
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

/** A wildcard route is covered by a certificate that covers one of its subdomains. */
function sampleName(domain: string): string {
  return domain.startsWith('*.') ? `porter-check.${domain.slice(2)}` : domain;
}

function tlsProblem(code: string, message: string, hint: string): Problem {
  return { code, message, hint };
}

/** Every reason the pair cannot serve these domains now; undefined when it can. */
export function checkCertificateText(pair: CertificatePair, certificateText: string, keyText: string, domains: string[], now = new Date()): Problem | undefined {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificateText);
  } catch (error) {
    return tlsProblem('PORTER_TLS_UNREADABLE', `${pair.certificate} is not a PEM certificate (${(error as Error).message})`, 'give the certificate file (for certbot: /etc/letsencrypt/live/DOMAIN/fullchain.pem).');
  }
  let key;
  try {
    key = createPrivateKey(keyText);
  } catch (error) {
    return tlsProblem('PORTER_TLS_UNREADABLE', `${pair.key} is not an unencrypted PEM private key (${(error as Error).message})`, 'give the key file (for certbot: /etc/letsencrypt/live/DOMAIN/privkey.pem); nginx cannot ask for a passphrase.');
  }
  if (!certificate.checkPrivateKey(key)) {
    return tlsProblem('PORTER_TLS_KEY_MISMATCH', `the key ${pair.key} does not belong to the certificate ${pair.certificate}`, 'give the key the certificate was issued for (certbot: privkey.pem beside fullchain.pem, from the same live/ directory).');
  }
  if (new Date(certificate.validTo) <= now) {
    return tlsProblem('PORTER_TLS_EXPIRED', `the certificate ${pair.certificate} expired on ${certificate.validTo}`, 'renew it (certbot renew), then run bin/porter reload-certificates.');
  }
  if (new Date(certificate.validFrom) > now) {
    return tlsProblem('PORTER_TLS_NOT_YET_VALID', `the certificate ${pair.certificate} is valid only from ${certificate.validFrom}`, 'check the clock of this machine, or use a certificate valid now.');
  }
  const uncovered = domains.filter((domain) => certificate.checkHost(sampleName(domain)) === undefined);
  if (uncovered.length) {
    const names = certificate.subjectAltName ?? certificate.subject.replace(/\n/g, ', ');
    return tlsProblem('PORTER_TLS_NAME_MISMATCH', `the certificate ${pair.certificate} does not cover ${uncovered.join(', ')} (it is for ${names})`, 'a certificate covers the names in its subjectAltName; a wildcard *.example.org covers one level (a.example.org, not a.b.example.org nor example.org).');
  }
  return undefined;
}

/** The same check, reading the files. */
export function checkCertificateFiles(pair: CertificatePair, domains: string[], read: (file: string) => string | undefined): Problem | undefined {
  const certificateText = read(pair.certificate);
  const keyText = read(pair.key);
  const missing = certificateText === undefined ? pair.certificate : keyText === undefined ? pair.key : undefined;
  if (missing !== undefined) return tlsProblem('PORTER_TLS_UNREADABLE', `cannot read ${missing}`, 'give the path of an existing file this user can read (certbot\'s files are under /etc/letsencrypt/live/, readable by root).');
  return checkCertificateText(pair, certificateText!, keyText!, domains);
}

/** openssl's arguments for a self-signed certificate of these names (the first is its subject). */
export function selfSignedArgv(openssl: string, pair: CertificatePair, names: string[]): string[] {
  return [
    openssl, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', pair.key, '-out', pair.certificate,
    '-days', '825', '-subj', `/CN=${names[0]}`, '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
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
