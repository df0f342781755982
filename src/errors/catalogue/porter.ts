/**
 * Codes of Porter: a route's problems (bin/porter refuses them with status 2; the porter recipe
 * reports them at its option as BAD_OPTION), and bin/porter's own failures.
 */
import { EXIT, type CodeEntry } from './status';

const { refused, failed, environment } = EXIT;

export const porterCodes = {
  PORTER_BAD_DOMAIN: {
    status: refused,
    meaning: 'a domain is not a host name Porter can route',
    hint: 'write a host name such as example.com, www.example.com or *.example.com.',
  },
  PORTER_BAD_PORT: {
    status: refused,
    meaning: "a backend's port is not a whole number from 1 to 65535",
    hint: 'write the backend as host:port, for example 127.0.0.1:8080.',
  },
  PORTER_BAD_HOST: {
    status: refused,
    meaning: "a backend's host is not a host name or IP address a backend can have",
    hint: 'write the backend as host:port, for example 127.0.0.1:8080 or [::1]:8080.',
  },
  PORTER_UNKNOWN_POOL: {
    status: refused,
    meaning: 'a backend is neither a pool of the porter nor a host:port address',
    hint: "name one of the porter's pools (bin/porter list --json shows them), or give an address.",
  },
  PORTER_UNRESOLVABLE: {
    status: refused,
    meaning: "a backend's host name does not resolve, so nginx would refuse a route to it",
    hint: 'fix the name (or its /etc/hosts or DNS entry), or give the backend by IP address.',
  },
  PORTER_DUPLICATE: {
    status: refused,
    meaning: 'a domain has a route already, is an alias in another route, or is taken by the porter itself',
    hint: 'move or remove the route that has it, or choose another domain.',
  },
  PORTER_UNKNOWN_DOMAIN: {
    status: refused,
    meaning: 'no route has the domain (or bin/porter has not changed it, for reset)',
    hint: 'bin/porter list shows the routed domains.',
  },
  PORTER_BAD_KIND: {
    status: refused,
    meaning: "a route's kind is neither http nor zope",
    hint: 'a route is "http" (passed on untouched) or "zope SITE" (virtual hosting).',
  },
  PORTER_BAD_SITE: {
    status: refused,
    meaning: "a route's Zope site id is missing, malformed, or given to an http route",
    hint: 'zope routes name their site (zope Plone); http routes have none.',
  },
  PORTER_BAD_ROUTE: {
    status: refused,
    meaning: "a line of the porter part's routes option cannot be read",
    hint: 'a route line is: DOMAIN [ALIAS ...] -> BACKEND [http | zope SITE] [cert=FILE key=FILE] [https-only].',
  },
  PORTER_BAD_TLS_PATH: {
    status: refused,
    meaning: "a route's certificate or key path holds a character nginx's config cannot take",
    hint: 'give a plain path, for example cert=/etc/letsencrypt/live/example.com/fullchain.pem.',
  },
  PORTER_BAD_PAGE: {
    status: refused,
    meaning: "a site's maintenance page cannot be read, or its path holds a character nginx's config cannot take",
    hint: 'give an existing HTML file this user can read, for example --page /srv/pages/maintenance.html.',
  },
  PORTER_NO_HTTPS: {
    status: refused,
    meaning: 'a route has a certificate or is https-only, but the porter has no listen-https',
    hint: 'add listen-https to the porter part (for example listen-https = 0.0.0.0:443) and run bin/assemble.',
  },
  PORTER_TLS_UNREADABLE: {
    status: refused,
    meaning: "a route's certificate or key cannot be read, or is not PEM (an unencrypted key)",
    hint: 'give existing PEM files this user can read (certbot: fullchain.pem and privkey.pem).',
  },
  PORTER_TLS_KEY_MISMATCH: {
    status: refused,
    meaning: "a route's key does not belong to its certificate",
    hint: 'give the key the certificate was issued for (certbot: privkey.pem from the same live/ directory).',
  },
  PORTER_TLS_EXPIRED: {
    status: refused,
    meaning: "a route's certificate has expired",
    hint: 'renew it (certbot renew), then run bin/porter reload-certificates.',
  },
  PORTER_TLS_NOT_YET_VALID: {
    status: refused,
    meaning: "a route's certificate is not valid yet (its notBefore is in the future)",
    hint: 'check the clock of this machine, or use a certificate valid now.',
  },
  PORTER_TLS_NAME_MISMATCH: {
    status: refused,
    meaning: "a route's certificate does not cover one of its domains (subjectAltName, wildcards one level)",
    hint: 'use a certificate issued for every domain of the route, or split the route.',
  },
  PORTER_NOT_INSTALLED: {
    status: refused,
    meaning: 'bin/porter cannot read the settings file the porter part writes',
    hint: 'run bin/assemble to install the porter part again.',
  },
  PORTER_TABLE_CORRUPT: {
    status: refused,
    meaning: 'the routing table bin/porter keeps (var/porter/NAME/routes.json) is not one it wrote',
    hint: 'repair it, or move it aside (its routes are then forgotten) and add them again.',
  },
  PORTER_NGINX_REFUSED: {
    status: refused,
    meaning: 'nginx -t refuses the configuration a change would make, so nothing was changed',
    hint: 'the message names what nginx cannot use (often a host name that stopped resolving).',
  },
  PORTER_RELOAD_UNCONFIRMED: {
    status: failed,
    meaning: 'the table and nginx.conf were changed, but nginx did not confirm the reload in time',
    hint: "bin/porter apply tries the reload again; nginx's error log says why it did not.",
  },
  PORTER_LOCKED: {
    status: environment,
    meaning: "another bin/porter held the table's lock for the whole wait; nothing was changed",
    hint: 'try again, or look for a stuck bin/porter.',
  },
  PORTER_LOCK_FAILED: {
    status: environment,
    meaning:
      "the table's lock could not be taken: its directory cannot be " +
      'made or flock (util-linux) failed; nothing was changed',
    hint: 'check that var/porter/NAME can be created and that flock is installed (Debian package util-linux).',
  },
} satisfies Record<string, CodeEntry>;
