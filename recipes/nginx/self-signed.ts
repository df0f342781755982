/**
 * A self-signed certificate for HTTPS when the configuration names none (the original exercise
 * made one by hand with `openssl req -new -x509 -nodes`). Made at install with the openssl
 * command (Debian package openssl), for the public host name and the loopback addresses; the key
 * is readable by its owner only. Both files are recorded, so uninstalling the part removes them.
 */
import { chmodSync } from 'node:fs';
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

export async function makeSelfSignedCertificate(ctx: InstallContext, request: CertificateRequest): Promise<void> {
  const names = request.names.filter((n) => isValidHost(n) && n !== '*');
  if (!names.length) names.push('localhost');
  // empty placeholders first: registered, their folders made (as shared parents, not owned), and
  // the key exists with mode 0600 before openssl writes into it
  await ctx.writeFile(request.key, '', { mode: 0o600 });
  await ctx.writeFile(request.certificate, '', { mode: 0o644 });
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
