/** One term's postings in a KB: parallel arrays, one entry per chunk holding the term. */
export interface TermPostings {
  /** Indexes into the KB's `chunkIds`. */
  chunks: Int32Array;
  tfs: Int32Array;
  lengths: Int32Array;
}

/** What a process keeps of one KB's inverted index, valid at one version of its statistics. */
export class KbPostings {
  readonly terms = new Map<string, TermPostings>();
  readonly chunkIds: string[] = [];
  /** Each chunk's document, by chunk number: an index into `documentIds`. */
  readonly chunkDocuments: number[] = [];
  readonly documentIds: string[] = [];
  private readonly chunkIndex = new Map<string, number>();
  private readonly documentIndex = new Map<string, number>();
  /** Postings held, for the cache's bound. */
  size = 0;

  constructor(readonly version: string) {}

  /** The chunk's number; its document is numbered with it the first time (once per chunk, not per posting). */
  chunkNumber(id: string, documentId: string): number {
    let n = this.chunkIndex.get(id);
    if (n === undefined) {
      n = this.chunkIds.push(id) - 1;
      this.chunkIndex.set(id, n);
      this.chunkDocuments.push(intern(documentId, this.documentIndex, this.documentIds));
    }
    return n;
  }

  /** The number of a known chunk; undefined for one no cached posting names. */
  knownChunk(id: string): number | undefined {
    return this.chunkIndex.get(id);
  }

  knownDocument(id: string): number | undefined {
    return this.documentIndex.get(id);
  }

  add(term: string, postings: TermPostings): void {
    if (this.terms.has(term)) return;
    this.terms.set(term, postings);
    this.size += postings.chunks.length;
  }
}

function intern(id: string, index: Map<string, number>, ids: string[]): number {
  let n = index.get(id);
  if (n === undefined) {
    n = ids.push(id) - 1;
    index.set(id, n);
  }
  return n;
}

/**
 * Postings of KBs' inverted indexes kept in memory between searches, per KB and valid at one
 * version of its text statistics (any change to the KB's postings moves the version on, and the
 * next search starts the KB afresh, see `searchChunkTerms`). Bounded by postings held: past `maxPostings`, the KBs
 * searched least recently go first, and no KB may hold more than `maxShare` of the bound, so one
 * large KB cannot push every other out.
 */
export class PostingsCache {
  /** Each KB with the postings it held when last kept, least recently searched first. */
  private readonly kbs = new Map<string, { kb: KbPostings; size: number }>();
  private size = 0;

  constructor(
    readonly maxPostings: number,
    private readonly maxShare = 0.5,
  ) {}

  /** What is cached of the KB, at whatever version. */
  peek(key: string): KbPostings | undefined {
    return this.kbs.get(key)?.kb;
  }

  /** Keeps `kb` as the KB's, the most recently searched, when it fits; the least recent go first. */
  keep(key: string, kb: KbPostings): void {
    const held = this.kbs.get(key);
    if (held) {
      this.kbs.delete(key);
      this.size -= held.size;
    }
    if (kb.size > this.maxPostings * this.maxShare) return;
    this.kbs.set(key, { kb, size: kb.size });
    this.size += kb.size;
    for (const [oldest, entry] of this.kbs) {
      if (this.size <= this.maxPostings) break;
      this.kbs.delete(oldest);
      this.size -= entry.size;
    }
  }

  /** Postings held across KBs. */
  get postings(): number {
    return this.size;
  }
}
