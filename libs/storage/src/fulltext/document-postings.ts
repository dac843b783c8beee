/** A chunk's terms (its `tsv`'s lexemes) and their frequencies in it. */
export interface ChunkTerms {
  id: string;
  terms: string[];
  tfs: number[];
}

/** A document's chunks with terms, in order, and its postings per term. */
export interface DocumentPostings {
  /** The chunks holding a term, by their place among them: id and length in terms. */
  chunks: Array<{ id: string; length: number }>;
  /** Each term's chunks (places among `chunks`, ascending) and frequencies. */
  terms: Map<string, { places: number[]; tfs: number[] }>;
}

/**
 * A document's postings from its chunks' terms, chunks in order: a chunk holding no term (only
 * stop words, or none) gets no place; a chunk's length is the sum of its terms' frequencies (the
 * positions of all its lexemes, stop words not counted).
 */
export function documentPostings(chunks: readonly ChunkTerms[]): DocumentPostings {
  const postings: DocumentPostings = { chunks: [], terms: new Map() };
  for (const chunk of chunks) {
    if (chunk.terms.length === 0) continue;
    const place = postings.chunks.length;
    let length = 0;
    chunk.terms.forEach((term, i) => {
      length += chunk.tfs[i];
      let posting = postings.terms.get(term);
      if (!posting) postings.terms.set(term, (posting = { places: [], tfs: [] }));
      posting.places.push(place);
      posting.tfs.push(chunk.tfs[i]);
    });
    postings.chunks.push({ id: chunk.id, length });
  }
  return postings;
}
