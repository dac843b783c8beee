import porterStem from '@stdlib/nlp-porter-stemmer';

/** Lucene's default English stop set (StopAnalyzer / EnglishAnalyzer), the usual BM25 baseline's. */
const LUCENE_ENGLISH_STOPWORDS = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(
    ' ',
  ),
);

/** Lower-cased letter/digit runs, stop words out, Porter-stemmed: the baseline's analyser. */
export function analyse(text: string): string[] {
  const terms: string[] = [];
  for (const [word] of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    if (!LUCENE_ENGLISH_STOPWORDS.has(word)) terms.push(porterStem(word));
  }
  return terms;
}

export interface Bm25Parameters {
  /** Term-frequency saturation. */
  k1: number;
  /** Length normalisation. */
  b: number;
}

export const LUCENE_BM25: Bm25Parameters = { k1: 1.2, b: 0.75 };

/**
 * Okapi BM25 over an in-memory collection, scored like Lucene's BM25Similarity:
 * idf = ln(1 + (N - n + 0.5) / (n + 0.5)), tf saturated by k1 and normalised by the document's
 * length against the mean. A query term that appears twice counts twice. This is the benchmark's
 * baseline, not part of the product.
 */
export class Bm25Index {
  private readonly postings = new Map<string, Array<{ doc: number; tf: number }>>();
  private readonly ids: string[] = [];
  private readonly lengths: number[] = [];

  constructor(
    documents: Iterable<{ id: string; text: string }>,
    private readonly parameters: Bm25Parameters = LUCENE_BM25,
  ) {
    for (const { id, text } of documents) {
      const doc = this.ids.push(id) - 1;
      const terms = analyse(text);
      this.lengths.push(terms.length);
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, tf] of counts) {
        const list = this.postings.get(term) ?? [];
        list.push({ doc, tf });
        this.postings.set(term, list);
      }
    }
  }

  /** The best `limit` documents for a query, best first; ties in collection order. */
  search(query: string, limit: number): Array<{ id: string; score: number }> {
    const { k1, b } = this.parameters;
    const n = this.ids.length;
    const meanLength = this.lengths.reduce((sum, l) => sum + l, 0) / Math.max(1, n);
    const scores = new Map<number, number>();
    for (const term of analyse(query)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        const norm = k1 * (1 - b + (b * this.lengths[doc]) / meanLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf) / (tf + norm));
      }
    }
    return [...scores]
      .sort((x, y) => y[1] - x[1] || x[0] - y[0])
      .slice(0, limit)
      .map(([doc, score]) => ({ id: this.ids[doc], score }));
  }
}
