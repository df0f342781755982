/** Whether a configuration location is a URL (zc.buildout's `_isurl`: "scheme://"). */
export function isUrl(text: string): boolean {
  return /^[a-zA-Z0-9+.-]+:\/\//.test(text);
}
