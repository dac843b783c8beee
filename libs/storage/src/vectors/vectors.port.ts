import type { KbScope, TenantScope } from '@strata/tenancy';

/** What a vector stands for: a chunk, or an entity or relation of the KB's graph. */
export type VectorKind = 'chunk' | 'entity' | 'relation';

/** The embedding space vectors belong to: vectors of different spaces are never compared. */
export interface VectorSpace {
  model: string;
  dimension: number;
}

export interface VectorRecord {
  id: string;
  kind: VectorKind;
  documentId: string | null;
  vector: ArrayLike<number>;
  /** A hash of what the vector was made from, so an unchanged text need not be embedded again. */
  contentHash?: string;
}

export interface VectorSearch {
  vector: ArrayLike<number>;
  kind: VectorKind;
  limit: number;
  /** Only vectors of these documents (metadata filters resolve to document ids first). */
  documentIds?: readonly string[];
}

export interface VectorCount {
  documentIds?: readonly string[];
  kind?: VectorKind;
}

export interface VectorHit {
  id: string;
  documentId: string | null;
  /** Cosine similarity, higher is closer. */
  score: number;
}

/**
 * Vector storage. Every method is limited to the scope it is given: adapters add the tenant and
 * KB filter to each search, count and delete themselves.
 */
export abstract class VectorStore {
  /** Adds or replaces vectors by id. */
  abstract upsert(scope: KbScope, space: VectorSpace, records: readonly VectorRecord[]): Promise<void>;
  abstract search(scope: KbScope, space: VectorSpace, search: VectorSearch): Promise<VectorHit[]>;
  /** The ids among `candidates` stored in `space` with the same content hash: their vectors are current. */
  abstract current(
    scope: KbScope,
    space: VectorSpace,
    candidates: ReadonlyArray<{ id: string; contentHash: string }>,
  ): Promise<Set<string>>;
  /** Removes the chunk vectors of these documents. */
  abstract deleteDocuments(scope: KbScope, documentIds: readonly string[]): Promise<void>;
  /** Removes vectors by id (entity and relation vectors belong to no single document). */
  abstract deleteIds(scope: KbScope, ids: readonly string[]): Promise<void>;
  abstract deleteKnowledgeBase(scope: KbScope): Promise<void>;
  abstract deleteTenant(scope: TenantScope): Promise<void>;
  /** Vectors of the KB, or of some of its documents, or of one kind. */
  abstract count(scope: KbScope, filter?: VectorCount): Promise<number>;
  /** Every document the KB's vectors belong to (consistency checks: it reads every vector's id). */
  abstract documentIds(scope: KbScope): Promise<Set<string>>;
  /** Throws when the store cannot be reached (readiness checks). */
  abstract ping(): Promise<void>;
  /**
   * Creates or brings up to date what the store keeps beside the vectors (tables, indexes) now,
   * rather than on first use: `migrate` runs it with the schema owner's rights.
   */
  abstract prepare(): Promise<void>;
  abstract close(): Promise<void>;
  /** Where vectors are kept, for logs and health output (never credentials). */
  abstract readonly description: string;
}

/** Checks a vector against its space before it reaches any store. */
export function assertVectorFits(space: VectorSpace, vector: ArrayLike<number>): void {
  if (vector.length !== space.dimension) {
    throw new Error(
      `vector has ${vector.length} dimensions, the space ${space.model} has ${space.dimension}`,
    );
  }
  for (let i = 0; i < vector.length; i++) {
    if (!Number.isFinite(vector[i])) throw new Error('vector holds a value that is not a finite number');
  }
}
