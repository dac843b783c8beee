/** About two lines of a reference list. */
export const SNIPPET_CHARS = 240;

/**
 * Markdown as the words a reader sees: headings, list and quote markers, code fences, table
 * pipes and rules, link and image syntax, and emphasis markers dropped; lines kept.
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n?/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$/gm, '')
    .replace(/\|/g, ' ')
    .replace(/(\*\*|__|\*|`|~~)(?=\S)([^]*?\S)\1/g, '$2');
}

/**
 * The start of a chunk as a reader sees it in a reference: plain text (see plainText) with its
 * whitespace run together, cut at a word boundary with an ellipsis when it goes on.
 */
export function referenceSnippet(content: string, limit = SNIPPET_CHARS): string {
  const text = plainText(content).replace(/\s+/g, ' ').trim();
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  const lastSpace = cut.lastIndexOf(' ');
  // A single word longer than the limit (a URL, a hash) is cut where the limit falls.
  return `${(lastSpace > limit / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}
