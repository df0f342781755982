/**
 * The built-in pages: the parked page (a domain no route claims) and the friendly proxy-error
 * pages (the site's backend is down: 502, refused or reset; 503, the backend or a balancer behind
 * it has no server; 504, no answer in time). nginx fills in the site's name with SSI
 * (`<!--# echo var="host" -->` is entity-encoded, so a strange Host header cannot inject markup).
 * Set the recipe's `error-pages` option to a directory of your own with the same four files, and
 * optionally sites/DOMAIN/5xx.html for one site.
 */

export const PAGE_FILES = ['parked.html', '502.html', '503.html', '504.html'] as const;

const SITE = '<!--# echo var="host" default="this site" -->';

function page(title: string, heading: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; color: #222; background: #f6f6f4; margin: 0; }
  main { max-width: 36rem; margin: 12vh auto; padding: 2rem; background: #fff; border-radius: 8px; box-shadow: 0 1px 4px #0002; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  small { color: #777; }
</style>
</head>
<body>
<main>
<h1>${heading}</h1>
${body}
</main>
</body>
</html>
`;
}

export function builtinPages(): Record<(typeof PAGE_FILES)[number], string> {
  const later = '<p>Please try again in a few minutes.</p>';
  return {
    'parked.html': page('Domain not served here', `${SITE} is not served here`,
      '<p>This server hosts many sites, but not this one (yet). If you just pointed the domain here, the route may not have been added.</p>\n<small>Status 404: no site is configured for this domain.</small>'),
    '502.html': page('Site temporarily unavailable', `${SITE} is temporarily unavailable`,
      `<p>The server behind this site is not answering right now.</p>\n${later}\n<small>Status 502: the site's backend refused or dropped the connection.</small>`),
    '503.html': page('Site temporarily unavailable', `${SITE} is temporarily unavailable`,
      `<p>The site has no server available to answer at the moment.</p>\n${later}\n<small>Status 503: the site's backend is unavailable.</small>`),
    '504.html': page('Site is taking too long', `${SITE} is taking too long to answer`,
      `<p>The server behind this site did not answer in time.</p>\n${later}\n<small>Status 504: the site's backend timed out.</small>`),
  };
}
