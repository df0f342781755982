/**
 * What can be wrong with a route, as data (validation returns problems; nothing is thrown until
 * a caller decides): one factory per problem, so the wording lives in one place. The porter
 * recipe reports a problem at its option (ctx.error, BAD_OPTION); bin/porter refuses it as a
 * ZetaError with the problem's code (problemError). Messages say what was received and what was
 * expected; hints give an example.
 */
import { ZetaError, type ErrorCode } from '../zeta-error';

export interface Problem {
  code: ErrorCode;
  message: string;
  hint?: string;
}

/** The error bin/porter refuses a problem with. */
export function problemError(problem: Problem): ZetaError {
  return new ZetaError(problem.code, problem.message, { hint: problem.hint });
}

const DOMAIN_EXAMPLE = 'example.com, www.example.com or *.example.com';
const ADDRESS_EXAMPLE = 'give an address such as 127.0.0.1:8080.';

export const problems = {
  badDomain(text: string, why: string): Problem {
    return {
      code: 'PORTER_BAD_DOMAIN',
      message: `"${text}" is not a domain Porter can route: ${why}`,
      hint:
        `write a host name such as ${DOMAIN_EXAMPLE}: letters, digits and "-" in dot-separated labels, ` +
        '"*." only in front.',
    };
  },
  badPort(text: string): Problem {
    return {
      code: 'PORTER_BAD_PORT',
      message: `port "${text}" is out of range: a port is a whole number from 1 to 65535`,
      hint: 'write the backend as host:port, for example 127.0.0.1:8080.',
    };
  },
  badHost(text: string): Problem {
    return {
      code: 'PORTER_BAD_HOST',
      message: `"${text}" is not a host name or IP address a backend can have`,
      hint: 'write the backend as host:port, for example 127.0.0.1:8080, app1.internal:8080 or [::1]:8080.',
    };
  },
  unknownPool(name: string, known: string[]): Problem {
    return {
      code: 'PORTER_UNKNOWN_POOL',
      message: `backend "${name}" is neither a pool of this porter nor a host:port address`,
      hint: known.length
        ? `the pools are: ${known.join(', ')}; or ${ADDRESS_EXAMPLE}`
        : `this porter defines no pools; ${ADDRESS_EXAMPLE}`,
    };
  },
  unresolvable(host: string, why: string): Problem {
    return {
      code: 'PORTER_UNRESOLVABLE',
      message: `the backend host "${host}" cannot be resolved (${why}); nginx would refuse to load a route to it`,
      hint: 'fix the name (or its /etc/hosts or DNS entry), or give the backend by IP address.',
    };
  },
  duplicate(domain: string, owner: string, backend: string): Problem {
    const whose =
      owner === domain
        ? `it has a route already (-> ${backend})`
        : `it is an alias in the route of ${owner} (-> ${backend})`;
    return {
      code: 'PORTER_DUPLICATE',
      message: `domain ${domain} cannot be added: ${whose}`,
      hint: `to send it elsewhere: move ${owner} BACKEND; to drop it: remove ${owner}.`,
    };
  },
  reserved(domain: string, what: string): Problem {
    return {
      code: 'PORTER_DUPLICATE',
      message: `domain ${domain} is taken by ${what}`,
      hint: 'choose another domain, or change developer-domain.',
    };
  },
  /** One route names a domain twice (as its name and an alias, or as two aliases). */
  givenTwice(domain: string): Problem {
    return {
      code: 'PORTER_DUPLICATE',
      message: `domain ${domain} is given twice`,
      hint: "name each domain once: the first is the route's name, the others its aliases.",
    };
  },
  unknownDomain(domain: string, known: string[]): Problem {
    const more = known.length > 12 ? ', ...' : '';
    return {
      code: 'PORTER_UNKNOWN_DOMAIN',
      message: `no route has the domain ${domain}`,
      hint: known.length
        ? `the routed domains are: ${known.slice(0, 12).join(', ')}${more} (bin/porter list shows them all).`
        : 'there are no routes yet; bin/porter add DOMAIN BACKEND adds one.',
    };
  },
  /** reset DOMAIN, for a domain whose route bin/porter never changed. */
  notChanged(domain: string): Problem {
    return {
      code: 'PORTER_UNKNOWN_DOMAIN',
      message: `bin/porter has not changed the route of ${domain}; there is nothing to reset`,
      hint: 'bin/porter list shows each route and where it comes from.',
    };
  },
  badKind(kind: string): Problem {
    return {
      code: 'PORTER_BAD_KIND',
      message: `route kind "${kind}" is unknown: a route is "http" (passed on untouched) or "zope" (virtual hosting)`,
      hint: 'for a Zope site write: zope SITE (for example: zope Plone).',
    };
  },
  badSite(site: string | undefined, kind: string): Problem {
    if (kind !== 'zope') {
      return {
        code: 'PORTER_BAD_SITE',
        message: `a site id ("${site}") belongs to zope routes only; this route is ${kind}`,
        hint: 'drop the site, or make the route zope.',
      };
    }
    if (site === undefined) {
      return {
        code: 'PORTER_BAD_SITE',
        message: 'a zope route needs the id of the site to serve',
        hint: 'for example: zope Plone (bin/porter: --kind zope --site Plone).',
      };
    }
    return {
      code: 'PORTER_BAD_SITE',
      message: `"${site}" is not a Zope site id or path`,
      hint: 'use letters, digits, ".", "_", "~" and "-", with "/" between path segments (Plone, sites/Plone).',
    };
  },
  noHttps(name: string): Problem {
    return {
      code: 'PORTER_NO_HTTPS',
      message: `porter [${name}] has no HTTPS address, so a route cannot have a certificate or be https-only`,
      hint: 'add listen-https (for example listen-https = 0.0.0.0:443) to the part and run bin/assemble.',
    };
  },
  badTlsPath(text: string): Problem {
    return {
      code: 'PORTER_BAD_TLS_PATH',
      message:
        `"${text}" cannot be a certificate or key path: ` +
        'it is empty or holds a space, a quote, "$", ";", "{" or "}"',
      hint:
        'give a plain path, for example cert=/etc/letsencrypt/live/example.com/fullchain.pem ' +
        'key=/etc/letsencrypt/live/example.com/privkey.pem',
    };
  },
  /** bin/porter maintenance DOMAIN on --page FILE, with a file nginx could not serve. */
  badPage(file: string, why: string): Problem {
    return {
      code: 'PORTER_BAD_PAGE',
      message: `the maintenance page ${file} cannot be used: ${why}`,
      hint: 'give an existing HTML file that nginx\'s workers can read, with a plain path (no quote, "$" or newline).',
    };
  },
  badLine(line: string, why: string): Problem {
    return {
      code: 'PORTER_BAD_ROUTE',
      message: `cannot read the route "${line}": ${why}`,
      hint:
        'a route line is: DOMAIN [ALIAS ...] -> BACKEND [http | zope SITE] [cert=FILE key=FILE] [https-only], ' +
        'for example: example.com www.example.com -> plone zope Plone',
    };
  },
};
