import type { KbScope } from '@strata/tenancy';

/** One term's postings in a KB: parallel arrays, one entry per chunk holding the term. */
export interface TermPostings {
  /** The chunks' numbers in the KB (see KbChunks). */
  chunks: Int32Array;
  tfs: Int32Array;
}

/**
 * A KB's chunk numbering as far as it has been read: each number's chunk id, document and length
 * in terms. Numbers are never reused and are handed out in commit order (see indexDocumentTerms),
 * so what was read stays true and only numbers from `known` on are new; a chunk removed since is
 * still named here, but no posting read after its removal lists it.
 */
export class KbChunks {
  /** Chunk ids by number; a number never read (removed before it was) has none. */
  readonly chunkIds: string[] = [];
  /** Each chunk's document, by number: an index into `documentIds`. */
  readonly chunkDocuments: number[] = [];
  /** Each chunk's length in terms, by number. */
  readonly lengths: number[] = [];
  readonly documentIds: string[] = [];
  private readonly chunkIndex = new Map<string, number>();
  private readonly documentIndex = new Map<string, number>();
  /** Numbers below this have been read. */
  known = 0;

  add(number: number, chunkId: string, documentId: string, length: number): void {
    this.chunkIds[number] = chunkId;
    this.lengths[number] = length;
    this.chunkIndex.set(chunkId, number);
    let document = this.documentIndex.get(documentId);
    if (document === undefined) {
      document = this.documentIds.push(documentId) - 1;
      this.documentIndex.set(documentId, document);
    }
    this.chunkDocuments[number] = document;
  }

  /** The number of a known chunk; undefined for one not read. */
  numberOf(chunkId: string): number | undefined {
    return this.chunkIndex.get(chunkId);
  }

  /** The index of a known document; undefined for one none of the chunks read belongs to. */
  documentOf(documentId: string): number | undefined {
    return this.documentIndex.get(documentId);
  }
}

/** What a process keeps of one KB's inverted index, valid at one version of its statistics. */
export class KbPostings {
  readonly terms = new Map<string, TermPostings>();
  /** Postings held. */
  private postings = 0;

  /** `chunks`: the KB's numbering, carried over from the version before when there was one. */
  constructor(
    readonly version: string,
    readonly chunks: KbChunks = new KbChunks(),
  ) {}

  add(term: string, postings: TermPostings): void {
    if (this.terms.has(term)) return;
    this.terms.set(term, postings);
    this.postings += postings.chunks.length;
  }

  /** What it holds, for the cache's bound: postings and numbered chunks. */
  get size(): number {
    return this.postings + this.chunks.known;
  }
}

/**
 * Postings of KBs' inverted indexes kept in memory between searches, per KB and valid at one
 * version of its text statistics (any change to the KB's postings moves the version on, and the
 * next search starts the KB afresh, see `searchChunkTerms`). Bounded by postings held: past
 * `maxPostings`, the tenant holding the most gives up its least recently searched KB, until the
 * rest fits; and no KB may hold more than `maxShare` of the bound. So a tenant that searches
 * large KBs a lot pushes out its own postings first, never those of a tenant holding less: one
 * tenant's data does not make another's searches read from the database again.
 */
export class PostingsCache {
  /** Each KB (by `tenant:kb`) with its tenant and what it held when last kept, least recently searched first. */
  private readonly kbs = new Map<string, { tenantId: string; kb: KbPostings; size: number }>();
  /** Postings held per tenant. */
  private readonly tenants = new Map<string, number>();
  private size = 0;

  constructor(
    readonly maxPostings: number,
    private readonly maxShare = 0.5,
  ) {}

  /** What is cached of the KB, at whatever version. */
  peek(scope: KbScope): KbPostings | undefined {
    return this.kbs.get(keyOf(scope))?.kb;
  }

  /** Keeps `kb` as the KB's, the most recently searched, when it fits (see the class). */
  keep(scope: KbScope, kb: KbPostings): void {
    const key = keyOf(scope);
    this.drop(key);
    if (kb.size > this.maxPostings * this.maxShare) return;
    this.kbs.set(key, { tenantId: scope.tenantId, kb, size: kb.size });
    this.tenants.set(scope.tenantId, (this.tenants.get(scope.tenantId) ?? 0) + kb.size);
    this.size += kb.size;
    while (this.size > this.maxPostings) this.drop(this.leastRecentOf(this.largestHolder()));
  }

  /** Postings held across KBs. */
  get postings(): number {
    return this.size;
  }

  private drop(key: string): void {
    const held = this.kbs.get(key);
    if (!held) return;
    this.kbs.delete(key);
    this.size -= held.size;
    const left = this.tenants.get(held.tenantId)! - held.size;
    if (left > 0) this.tenants.set(held.tenantId, left);
    else this.tenants.delete(held.tenantId);
  }

  private largestHolder(): string {
    let largest = '';
    let most = -1;
    for (const [tenantId, held] of this.tenants) {
      if (held > most) [largest, most] = [tenantId, held];
    }
    return largest;
  }

  private leastRecentOf(tenantId: string): string {
    for (const [key, entry] of this.kbs) if (entry.tenantId === tenantId) return key;
    throw new Error(`postings cache: tenant ${tenantId} holds nothing`);
  }
}

const keyOf = (scope: KbScope) => `${scope.tenantId}:${scope.kbId}`;
