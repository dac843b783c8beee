import type { Embedder } from './embedder';

export const LEXICAL_MODEL = 'strata-lexical-v1';
export const LEXICAL_DIMENSION = 1024;

const WORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.5;
const TRIGRAM_WEIGHT = 0.25;
// Different seeds keep a word, a bigram and a trigram with the same letters apart.
const WORD_SEED = 0x811c9dc5;
const TRIGRAM_SEED = 0x2f1b8c3d;

/**
 * The embedded default: a lexical embedding that needs no model and no network. Word unigrams,
 * word bigrams and character trigrams are hashed (with a hashed sign, so collisions cancel rather
 * than pile up) into a fixed-size vector, counts are damped (1 + ln tf) and the vector is
 * L2-normalised. It matches shared words and word fragments, not meaning: good enough to make
 * the vector half of hybrid retrieval useful with no model server, and deterministic.
 */
export class LexicalEmbedder implements Embedder {
  readonly model = LEXICAL_MODEL;

  constructor(readonly dimension: number = LEXICAL_DIMENSION) {}

  async embed(texts: readonly string[]): Promise<number[][]> {
    return texts.map((text) => this.embedOne(text));
  }

  embedOne(text: string): number[] {
    // Occurrence counts per feature kind, keyed by the feature's 32-bit hash.
    const words = new Map<number, number>();
    const bigrams = new Map<number, number>();
    const trigrams = new Map<number, number>();
    const count = (map: Map<number, number>, hash: number) => map.set(hash, (map.get(hash) ?? 0) + 1);
    let previous = 0;
    tokenize(text).forEach((word, i) => {
      const wordHash = fnv1a(word, WORD_SEED);
      count(words, wordHash);
      if (i > 0) count(bigrams, Math.imul(previous ^ 0x5bd1e995, 0x01000193) ^ wordHash);
      previous = wordHash;
      const padded = `^${word}$`;
      for (let j = 0; j + 3 <= padded.length; j++) count(trigrams, fnv1a(padded, TRIGRAM_SEED, j, j + 3));
    });

    const vector = new Array<number>(this.dimension).fill(0);
    const addAll = (map: Map<number, number>, weight: number) => {
      for (const [hash, occurrences] of map) {
        // Low bits pick the slot, the top bit the sign, so colliding features tend to cancel out.
        const damped = (1 + Math.log(occurrences)) * weight;
        vector[(hash >>> 0) % this.dimension] += hash < 0 ? -damped : damped;
      }
    };
    addAll(words, WORD_WEIGHT);
    addAll(bigrams, BIGRAM_WEIGHT);
    addAll(trigrams, TRIGRAM_WEIGHT);
    let norm = 0;
    for (const v of vector) norm += v * v;
    norm = Math.sqrt(norm);
    return norm === 0 ? vector : vector.map((v) => v / norm);
  }
}

/** Lower-cased runs of letters and digits in any script. */
export function tokenize(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** 32-bit FNV-1a over the UTF-16 code units of value[start, end), as a signed 32-bit integer. */
function fnv1a(value: string, seed: number, start = 0, end = value.length): number {
  let hash = seed | 0;
  for (let i = start; i < end; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}
