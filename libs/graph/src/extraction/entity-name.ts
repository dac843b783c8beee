/**
 * An entity name as shown: Unicode-normalised, surrounding quotes, brackets and punctuation
 * removed, inner whitespace collapsed, a trailing possessive dropped. Empty when nothing is left.
 */
export function cleanEntityName(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[\s"'`“”‘’«»()[\]{}<>.,;:!?*#-]+|[\s"'`“”‘’«»()[\]{}<>.,;:!?*#-]+$/g, '')
    .replace(/['’]s$/i, '')
    .trim();
}

/** The key entities merge on within a KB: the cleaned name, case-folded. */
export function entityKey(name: string): string {
  return cleanEntityName(name).toLowerCase();
}
