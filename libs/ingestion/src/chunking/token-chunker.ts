import { Tokenizer, tokenizer as defaultTokenizer } from '@strata/providers';

export interface ChunkingOptions {
  chunkSize: number;
  chunkOverlap: number;
}

export interface TextChunk {
  ordinal: number;
  content: string;
  tokenCount: number;
  /** The markdown heading path the chunk starts under, e.g. "Setup > Requirements". */
  heading: string | null;
}

interface Block {
  text: string;
  tokens: number;
  heading: string | null;
  /** A heading line starts a new section. */
  startsSection: boolean;
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const SENTENCE_END = /(?<=[.!?。！？])\s+/;

/**
 * Splits normalised text into chunks of at most `chunkSize` tokens. It packs whole paragraphs,
 * starts a new chunk at a markdown heading once the current one is a quarter full, splits an
 * over-long paragraph at sentence ends (and an over-long sentence at token boundaries), and
 * carries the last `chunkOverlap` tokens into the next chunk when a section is cut by size.
 */
export function chunkText(
  text: string,
  options: ChunkingOptions,
  tokenizer: Tokenizer = defaultTokenizer(),
): TextChunk[] {
  const { chunkSize, chunkOverlap } = options;
  if (chunkOverlap >= chunkSize) throw new Error('chunk overlap must be smaller than chunk size');
  const blocks = toBlocks(text, chunkSize, tokenizer);
  const chunks: TextChunk[] = [];
  let parts: Array<{ text: string; tokens: number }> = [];
  let heading: string | null = null;
  // Blocks are joined by a blank line, which is one token; BPE merges across the join only ever
  // lower the real count, so this sum is an upper bound and the size limit holds.
  const size = () => parts.reduce((sum, p) => sum + p.tokens, 0) + Math.max(0, parts.length - 1);

  const flush = (carryOverlap: boolean) => {
    if (parts.length === 0) return;
    chunks.push({
      ordinal: chunks.length,
      content: parts.map((p) => p.text).join('\n\n'),
      tokenCount: size(),
      heading,
    });
    const tail = carryOverlap && chunkOverlap > 0 ? overlapTail(parts, chunkOverlap, tokenizer) : null;
    parts = tail ? [tail] : [];
  };

  for (const block of blocks) {
    if (block.startsSection && size() >= chunkSize / 4) flush(false);
    if (parts.length > 0 && size() + 1 + block.tokens > chunkSize) flush(true);
    // The overlap tail may still leave too little room; drop it rather than exceed the size.
    if (parts.length > 0 && size() + 1 + block.tokens > chunkSize) parts = [];
    if (parts.length === 0) heading = block.heading;
    parts.push({ text: block.text, tokens: block.tokens });
  }
  flush(false);
  return chunks;
}

/** The last `overlap` tokens of the parts, re-encoding only as many trailing parts as needed. */
function overlapTail(
  parts: Array<{ text: string; tokens: number }>,
  overlap: number,
  tokenizer: Tokenizer,
): { text: string; tokens: number } | null {
  let covered = 0;
  let first = parts.length;
  while (first > 0 && covered < overlap) covered += parts[--first].tokens;
  const encoded = tokenizer.encode(
    parts
      .slice(first)
      .map((p) => p.text)
      .join('\n\n'),
  );
  const text = tokenizer.decode(encoded.slice(-overlap)).trim();
  return text ? { text, tokens: tokenizer.encode(text).length } : null;
}

/** Paragraphs (and heading lines), each at most `maxTokens`, with the heading path they sit under. */
function toBlocks(text: string, maxTokens: number, tokenizer: Tokenizer): Block[] {
  const blocks: Block[] = [];
  const path: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const trimmed = paragraph.trim();
    if (!trimmed) continue;
    const lines = trimmed.split('\n');
    // A heading line may be followed by text without a blank line in between.
    const match = HEADING.exec(lines[0]);
    let startsSection = false;
    if (match) {
      const level = match[1].length;
      path.splice(level - 1, path.length, match[2]);
      path.length = Math.min(path.length, level);
      startsSection = true;
    }
    const heading = path.filter(Boolean).join(' > ') || null;
    for (const piece of splitToFit(trimmed, maxTokens, tokenizer)) {
      blocks.push({ text: piece.text, tokens: piece.tokens, heading, startsSection });
      startsSection = false;
    }
  }
  return blocks;
}

function splitToFit(
  text: string,
  maxTokens: number,
  tokenizer: Tokenizer,
): Array<{ text: string; tokens: number }> {
  const tokens = tokenizer.encode(text);
  if (tokens.length <= maxTokens) return [{ text, tokens: tokens.length }];
  const pieces: Array<{ text: string; tokens: number }> = [];
  let current: string[] = [];
  let currentTokens = 0;
  for (const sentence of text.split(SENTENCE_END)) {
    const sentenceTokens = tokenizer.encode(sentence);
    if (sentenceTokens.length > maxTokens) {
      if (current.length) pieces.push({ text: current.join(' '), tokens: currentTokens });
      current = [];
      currentTokens = 0;
      for (let i = 0; i < sentenceTokens.length; i += maxTokens) {
        const slice = sentenceTokens.slice(i, i + maxTokens);
        pieces.push({ text: tokenizer.decode(slice), tokens: slice.length });
      }
      continue;
    }
    if (currentTokens + sentenceTokens.length + 1 > maxTokens && current.length) {
      pieces.push({ text: current.join(' '), tokens: currentTokens });
      current = [];
      currentTokens = 0;
    }
    current.push(sentence);
    currentTokens += sentenceTokens.length + (current.length > 1 ? 1 : 0);
  }
  if (current.length) pieces.push({ text: current.join(' '), tokens: currentTokens });
  return pieces;
}
