/**
 * The checks a certificate must pass before it reaches nginx: it can be read, its key matches, it
 * is valid now, and its names cover every domain of the route. node:crypto's X509Certificate does
 * them (checkPrivateKey, validTo, checkHost), so they need no openssl. Problems are data.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import type { Problem } from './problems';
import type { CertificatePair } from './tls';

/** A wildcard route is covered by a certificate that covers one of its subdomains. */
function sampleName(domain: string): string {
  return domain.startsWith('*.') ? `porter-check.${domain.slice(2)}` : domain;
}

function tlsProblem(code: string, message: string, hint: string): Problem {
  return { code, message, hint };
}

type Parsed = { certificate: X509Certificate; key: KeyObject; problem?: undefined } | { problem: Problem };

/** The certificate and key as node:crypto objects, or why they cannot be read. */
function parsePair(pair: CertificatePair, certificateText: string, keyText: string): Parsed {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificateText);
  } catch (error) {
    const message = `${pair.certificate} is not a PEM certificate (${(error as Error).message})`;
    const hint = 'give the certificate file (certbot: fullchain.pem).';
    return { problem: tlsProblem('PORTER_TLS_UNREADABLE', message, hint) };
  }
  try {
    return { certificate, key: createPrivateKey(keyText) };
  } catch (error) {
    const message = `${pair.key} is not an unencrypted PEM private key (${(error as Error).message})`;
    const hint = 'give the key file (certbot: privkey.pem); nginx cannot ask for a passphrase.';
    return { problem: tlsProblem('PORTER_TLS_UNREADABLE', message, hint) };
  }
}

/** Every reason the pair cannot serve these domains now; undefined when it can. */
export function checkCertificateText(
  pair: CertificatePair,
  certificateText: string,
  keyText: string,
  domains: string[],
  now = new Date(),
): Problem | undefined {
  const parsed = parsePair(pair, certificateText, keyText);
  if (parsed.problem) return parsed.problem;
  const { certificate, key } = parsed;
  const file = pair.certificate;
  if (!certificate.checkPrivateKey(key)) {
    const hint = 'give the key the certificate was issued for (certbot: privkey.pem from the same live/ directory).';
    const message = `the key ${pair.key} does not belong to the certificate ${file}`;
    return tlsProblem('PORTER_TLS_KEY_MISMATCH', message, hint);
  }
  if (new Date(certificate.validTo) <= now) {
    const hint = 'renew it (certbot renew), then run bin/porter reload-certificates.';
    return tlsProblem('PORTER_TLS_EXPIRED', `the certificate ${file} expired on ${certificate.validTo}`, hint);
  }
  if (new Date(certificate.validFrom) > now) {
    const hint = 'check the clock of this machine, or use a certificate valid now.';
    const message = `the certificate ${file} is valid only from ${certificate.validFrom}`;
    return tlsProblem('PORTER_TLS_NOT_YET_VALID', message, hint);
  }
  const uncovered = domains.filter((domain) => certificate.checkHost(sampleName(domain)) === undefined);
  if (!uncovered.length) return undefined;
  const names = certificate.subjectAltName ?? certificate.subject.replace(/\n/g, ', ');
  const hint = 'a certificate covers the names in its subjectAltName; a wildcard *.example.org covers one level '
    + '(a.example.org, not a.b.example.org nor example.org).';
  const message = `the certificate ${file} does not cover ${uncovered.join(', ')} (it is for ${names})`;
  return tlsProblem('PORTER_TLS_NAME_MISMATCH', message, hint);
}

/** The same check, reading the files. */
export function checkCertificateFiles(
  pair: CertificatePair,
  domains: string[],
  read: (file: string) => string | undefined,
): Problem | undefined {
  const certificateText = read(pair.certificate);
  const keyText = read(pair.key);
  const missing = certificateText === undefined ? pair.certificate : keyText === undefined ? pair.key : undefined;
  if (missing !== undefined) {
    const hint = "give an existing file this user can read (certbot's: /etc/letsencrypt/live/, readable by root).";
    return tlsProblem('PORTER_TLS_UNREADABLE', `cannot read ${missing}`, hint);
  }
  return checkCertificateText(pair, certificateText!, keyText!, domains);
}
