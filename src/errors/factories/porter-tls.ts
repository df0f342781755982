/**
 * What can be wrong with a route's certificate, as problems (data, like porter-problems.ts): the
 * porter recipe reports them at its routes option, bin/porter refuses them (problemError).
 * Messages name the file and the reason; hints say how certbot's files fit.
 */
import type { Problem } from './porter-problems';

export const tlsProblems = {
  unreadable(file: string): Problem {
    return {
      code: 'PORTER_TLS_UNREADABLE',
      message: `cannot read ${file}`,
      hint: "give an existing file this user can read (certbot's: /etc/letsencrypt/live/, readable by root).",
    };
  },
  notCertificate(file: string, why: string): Problem {
    return {
      code: 'PORTER_TLS_UNREADABLE',
      message: `${file} is not a PEM certificate (${why})`,
      hint: 'give the certificate file (certbot: fullchain.pem).',
    };
  },
  notKey(file: string, why: string): Problem {
    return {
      code: 'PORTER_TLS_UNREADABLE',
      message: `${file} is not an unencrypted PEM private key (${why})`,
      hint: 'give the key file (certbot: privkey.pem); nginx cannot ask for a passphrase.',
    };
  },
  keyMismatch(key: string, certificate: string): Problem {
    return {
      code: 'PORTER_TLS_KEY_MISMATCH',
      message: `the key ${key} does not belong to the certificate ${certificate}`,
      hint: 'give the key the certificate was issued for (certbot: privkey.pem from the same live/ directory).',
    };
  },
  expired(certificate: string, validTo: string): Problem {
    return {
      code: 'PORTER_TLS_EXPIRED',
      message: `the certificate ${certificate} expired on ${validTo}`,
      hint: 'renew it (certbot renew), then run bin/porter reload-certificates.',
    };
  },
  notYetValid(certificate: string, validFrom: string): Problem {
    return {
      code: 'PORTER_TLS_NOT_YET_VALID',
      message: `the certificate ${certificate} is valid only from ${validFrom}`,
      hint: 'check the clock of this machine, or use a certificate valid now.',
    };
  },
  nameMismatch(certificate: string, uncovered: string[], names: string): Problem {
    return {
      code: 'PORTER_TLS_NAME_MISMATCH',
      message: `the certificate ${certificate} does not cover ${uncovered.join(', ')} (it is for ${names})`,
      hint:
        'a certificate covers the names in its subjectAltName; a wildcard *.example.org covers one level ' +
        '(a.example.org, not a.b.example.org nor example.org).',
    };
  },
};
