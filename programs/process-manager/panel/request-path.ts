/**
 * The panel's reading of a request target. Anything a client can send is input, so a bad one is
 * the client's error (400), never the server's (500): a target that is not a path, a
 * percent-encoding that does not decode to UTF-8, a NUL, an absurd length. A well-formed path
 * that names nothing is a 404 (the router's job); a traversal attempt (`..%2f`) decodes to a
 * program name that does not exist, and nothing here ever becomes a file path.
 */

/** A refusal the router answers with its status instead of a 500. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_TARGET = 4096;

/** One path segment, percent-decoded; a bad encoding or a NUL is a 400. */
export function decodeSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw new Refusal(400, `bad percent-encoding in the path: ${JSON.stringify(segment.slice(0, 80))}`);
  }
  if (decoded.includes('\0')) throw new Refusal(400, 'a NUL in the path');
  return decoded;
}

/** The request's URL against the panel's origin; only origin-form targets ("/...") are served. */
export function requestUrl(target: string | undefined, origin: string): URL {
  const raw = target ?? '/';
  if (!raw.startsWith('/')) throw new Refusal(400, 'the request target must be a path starting with "/"');
  if (raw.length > MAX_TARGET) throw new Refusal(400, `the request target is longer than ${MAX_TARGET} characters`);
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    throw new Refusal(400, 'the request target is not a valid path');
  }
  // "//host/x" would be read as another origin: serve only our own
  if (url.origin !== origin) throw new Refusal(400, 'the request target names another origin');
  for (const segment of url.pathname.split('/')) decodeSegment(segment);
  return url;
}

/** `lines=N` of the log API, within 1..500 (50 when absent or not a number). */
export function lineCount(value: string | null): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? Math.min(Math.max(n, 1), 500) : 50;
}
