/**
 * A self-signed certificate for HTTPS when the configuration names none (the original exercise
 * made one by hand with `openssl req -new -x509 -nodes`). Made at install with the openssl
 * command (Debian package openssl), for the public host name and the loopback addresses; the key
 * is readable by its owner only. The pair is made once and kept in `var/<part>/tls/` (var/ is never
 * recorded): a reinstall for any other option copies it into etc/ again instead of making a new
 * one, so clients that trust it keep trusting it. A kept pair is made again only when its names
 * differ, its key does not match, or it expires within 30 days. The copies in etc/ are recorded,
 * so uninstalling the part removes them.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { InstallContext } from '../../src/recipe';
import { isValidHost } from '../shared/checks';

export interface CertificateRequest {
  openssl: string;
  certificate: string;
  key: string;
  /** Host names and addresses the certificate is for; the first is its common name. */
  names: string[];
  days?: number;
}

function subjectAltName(names: string[]): string {
  const ip = /^[0-9.]+$|:/;
  return [...new Set(names)].map((n) => (ip.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
}

const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

/** A kept pair serves again when it names exactly these names, its key matches, and it is not about to expire. */
function reusable(certificate: string, key: string, names: string[]): boolean {
  if (!existsSync(certificate) || !existsSync(key)) return false;
  try {
    const x509 = new X509Certificate(readFileSync(certificate));
    const covered = names.every((n) => (/^[0-9.]+$|:/.test(n) ? x509.checkIP(n) : x509.checkHost(n)));
    const count = (x509.subjectAltName ?? '').split(', ').filter(Boolean).length;
    return (
      covered &&
      count === new Set(names).size &&
      x509.subject.includes(`CN=${names[0]}`) &&
      x509.checkPrivateKey(createPrivateKey(readFileSync(key))) &&
      Date.parse(x509.validTo) - Date.now() > RENEW_BEFORE_MS
    );
  } catch {
    return false;
  }
}

export async function makeSelfSignedCertificate(ctx: InstallContext, request: CertificateRequest): Promise<void> {
  const names = request.names.filter((n) => isValidHost(n) && n !== '*');
  if (!names.length) names.push('localhost');
  const kept = ctx.paths.variable(ctx.name, 'tls');
  const keptCertificate = path.join(kept, 'self-signed.crt');
  const keptKey = path.join(kept, 'self-signed.key');
  if (!reusable(keptCertificate, keptKey, names))
    await generate(ctx, { ...request, certificate: keptCertificate, key: keptKey }, names);
  await ctx.writeFile(request.key, readFileSync(keptKey), { mode: 0o600 });
  await ctx.writeFile(request.certificate, readFileSync(keptCertificate), { mode: 0o644 });
  // writeFile's mode is subject to the umask: say it explicitly
  chmodSync(request.key, 0o600);
  chmodSync(request.certificate, 0o644);
}

async function generate(ctx: InstallContext, request: CertificateRequest, names: string[]): Promise<void> {
  mkdirSync(path.dirname(request.key), { recursive: true, mode: 0o700 });
  // the key exists with mode 0600 before openssl writes into it
  writeFileSync(request.key, '', { mode: 0o600 });
  await ctx.exec(
    [
      request.openssl,
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-keyout',
      request.key,
      '-out',
      request.certificate,
      '-days',
      String(request.days ?? 825),
      '-subj',
      `/CN=${names[0]}`,
      '-addext',
      `subjectAltName=${subjectAltName(names)}`,
    ],
    { cwd: path.dirname(request.key), step: 'self-signed certificate', timeoutMs: 60_000 },
  );
  // openssl 3 already creates the key 0600; say so explicitly rather than rely on it
  chmodSync(request.key, 0o600);
  chmodSync(request.certificate, 0o644);
}
