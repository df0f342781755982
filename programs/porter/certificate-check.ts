/**
 * The checks a certificate must pass before it reaches nginx: it can be read, its key matches, it
 * is valid now, and its names cover every domain of the route. node:crypto's X509Certificate does
 * them (checkPrivateKey, validTo, checkHost), so they need no openssl. Problems are data.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import type { Problem } from '../../src/errors/factories/porter-problems';
import { tlsProblems } from '../../src/errors/factories/porter-tls';
import type { CertificatePair } from './tls';

/** A wildcard route is covered by a certificate that covers one of its subdomains. */
function sampleName(domain: string): string {
  return domain.startsWith('*.') ? `porter-check.${domain.slice(2)}` : domain;
}

type Parsed = { certificate: X509Certificate; key: KeyObject; problem?: undefined } | { problem: Problem };

/** The certificate and key as node:crypto objects, or why they cannot be read. */
function parsePair(pair: CertificatePair, certificateText: string, keyText: string): Parsed {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificateText);
  } catch (error) {
    return { problem: tlsProblems.notCertificate(pair.certificate, (error as Error).message) };
  }
  try {
    return { certificate, key: createPrivateKey(keyText) };
  } catch (error) {
    return { problem: tlsProblems.notKey(pair.key, (error as Error).message) };
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
  if (!certificate.checkPrivateKey(key)) return tlsProblems.keyMismatch(pair.key, pair.certificate);
  if (new Date(certificate.validTo) <= now) return tlsProblems.expired(pair.certificate, certificate.validTo);
  if (new Date(certificate.validFrom) > now) return tlsProblems.notYetValid(pair.certificate, certificate.validFrom);
  const uncovered = domains.filter((domain) => certificate.checkHost(sampleName(domain)) === undefined);
  if (!uncovered.length) return undefined;
  const names = certificate.subjectAltName ?? certificate.subject.replace(/\n/g, ', ');
  return tlsProblems.nameMismatch(pair.certificate, uncovered, names);
}

/** The same check, reading the files. */
export function checkCertificateFiles(
  pair: CertificatePair,
  domains: string[],
  read: (file: string) => string | undefined,
): Problem | undefined {
  const certificateText = read(pair.certificate);
  const keyText = read(pair.key);
  if (certificateText === undefined) return tlsProblems.unreadable(pair.certificate);
  if (keyText === undefined) return tlsProblems.unreadable(pair.key);
  return checkCertificateText(pair, certificateText, keyText, domains);
}
