/** About two lines of a reference list. */
export const SNIPPET_CHARS = 240;

/**
 * The start of a chunk as a reader sees it in a reference: markdown markup (headings, emphasis,
 * code fences, link and image syntax, list and quote markers, table pipes) dropped, whitespace run
 * together, and cut at a word boundary with an ellipsis when it goes on.
 */
export function referenceSnippet(content: string, limit = SNIPPET_CHARS): string {
  const text = content
    .replace(/```[^\n]*\n?/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$/gm, ' ')
    .replace(/\|/g, ' ')
    .replace(/(\*\*|__|\*|`|~~)(?=\S)([^]*?\S)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  const lastSpace = cut.lastIndexOf(' ');
  // A single word longer than the limit (a URL, a hash) is cut where the limit falls.
  return `${(lastSpace > limit / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}
