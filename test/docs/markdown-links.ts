/**
 * The relative links of a Markdown file and the anchors its headings make, as GitHub renders
 * them, so that a test can check that every link to a file, and to a heading in it, resolves.
 */
export interface Link {
  line: number;
  target: string;
}

const INLINE = /!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
const DEFINITION = /^ {0,3}\[[^\]]+\]:\s*(\S+)/;

/** Every link target outside fenced code blocks and inline code, with its line. */
export function markdownLinks(text: string): Link[] {
  const links: Link[] = [];
  let fenced = false;
  text.split('\n').forEach((raw, index) => {
    if (/^\s*```/.test(raw)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    const line = raw.replace(/`[^`]*`/g, '');
    const definition = DEFINITION.exec(line);
    if (definition) links.push({ line: index + 1, target: definition[1] });
    for (const match of line.matchAll(INLINE)) links.push({ line: index + 1, target: match[1] });
  });
  return links;
}

/** A link that leaves the repository's files: a URL, a mail address. */
export function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown file's headings (a repeated one gets -1, -2, ... as on GitHub). */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      continue;
    }
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = headingSlug(heading[1]);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count ? `${slug}-${count}` : slug);
  }
  return anchors;
}
