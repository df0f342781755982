/**
 * The built-in pages: the parked page (a domain no route claims) and the friendly proxy-error
 * pages (the site's backend is down: 502, refused or reset; 503, the backend or a balancer behind
 * it has no server; 504, no answer in time). nginx fills in the site's name with SSI
 * (`<!--# echo var="host" -->` is entity-encoded, so a strange Host header cannot inject markup).
 * They are static files in templates/porter/. Set the recipe's `error-pages` option to a
 * directory of your own with the same four files, and optionally sites/DOMAIN/5xx.html for one site.
 */
export const PAGE_FILES = ['parked.html', '502.html', '503.html', '504.html'] as const;

/** The default maintenance page (bin/porter maintenance DOMAIN on), written beside the part's settings. */
export const MAINTENANCE_PAGE = 'maintenance.html';
