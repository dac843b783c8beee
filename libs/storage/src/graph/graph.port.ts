import { compareInByteOrder } from '@strata/core';
import type { KbScope, TenantScope } from '@strata/tenancy';

/** An entity of a KB's graph, keyed by its normalised name. */
export interface GraphEntity {
  /** Stable id (derived from the KB and key), shared with the entity's vector. */
  id: string;
  key: string;
  name: string;
  type: string;
  description: string;
  sourceChunkIds: string[];
}

/** A relation between two entities; undirected, so `sourceKey < targetKey` always. */
export interface GraphRelation {
  id: string;
  sourceKey: string;
  targetKey: string;
  keywords: string;
  description: string;
  weight: number;
  sourceChunkIds: string[];
}

export interface RankedEntity extends GraphEntity {
  /** Number of relations the entity takes part in. */
  degree: number;
}

export interface Subgraph {
  entities: RankedEntity[];
  relations: GraphRelation[];
  /** Whether more entities were within reach than `maxNodes` allowed. */
  truncated: boolean;
}

export interface NeighbourhoodRequest {
  /** Where to start; null = the whole KB, its best-connected entities first. */
  startKey: string | null;
  maxDepth: number;
  maxNodes: number;
}

/**
 * Graph storage: the merged graph of each KB. Every method is limited to the scope it is given;
 * adapters add the tenant and KB to each statement themselves. Writes are idempotent upserts.
 */
/** What a KB's graph holds, by key: its entities and its relations' (source, target) pairs. */
export interface GraphKeys {
  entityKeys: string[];
  relationPairs: Array<[string, string]>;
}

export abstract class GraphStore {
  abstract upsertEntities(scope: KbScope, entities: readonly GraphEntity[]): Promise<void>;
  /** Both ends must exist (upsert the entities first). */
  abstract upsertRelations(scope: KbScope, relations: readonly GraphRelation[]): Promise<void>;
  /** Removes the entities and every relation touching them. */
  abstract deleteEntities(scope: KbScope, keys: readonly string[]): Promise<void>;
  abstract deleteRelations(scope: KbScope, pairs: ReadonlyArray<readonly [string, string]>): Promise<void>;

  abstract entities(scope: KbScope, keys: readonly string[]): Promise<RankedEntity[]>;
  abstract entitiesById(scope: KbScope, ids: readonly string[]): Promise<RankedEntity[]>;
  abstract relationsById(scope: KbScope, ids: readonly string[]): Promise<GraphRelation[]>;
  /** Relations touching any of the keys, heaviest first. */
  abstract relationsOf(scope: KbScope, keys: readonly string[], limit: number): Promise<GraphRelation[]>;
  /**
   * Each key's `perKey` heaviest relations, key by key in the order given (a relation of two of
   * the keys comes once, with the first). A well-connected entity cannot crowd out the others'
   * relations, as it can in `relationsOf`'s one ranking.
   */
  abstract relationsOfEach(scope: KbScope, keys: readonly string[], perKey: number): Promise<GraphRelation[]>;
  /**
   * Entities within `maxDepth` relations of the start (nearest, then best-connected, first; at
   * most `maxNodes`) and the relations between them.
   */
  abstract neighbourhood(scope: KbScope, request: NeighbourhoodRequest): Promise<Subgraph>;
  /** Entity names containing `search` (any, when empty), best-connected first. */
  abstract labels(
    scope: KbScope,
    search: string,
    limit: number,
  ): Promise<Array<{ name: string; degree: number }>>;
  abstract count(scope: KbScope): Promise<{ entities: number; relations: number }>;
  /** Every entity key and relation pair of the KB (consistency checks: it reads the whole graph). */
  abstract keys(scope: KbScope): Promise<GraphKeys>;

  abstract deleteKnowledgeBase(scope: KbScope): Promise<void>;
  abstract deleteTenant(scope: TenantScope): Promise<void>;
  /** Throws when the store cannot be reached (readiness checks). */
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;
  /** Where the graph is kept, for logs and health output (never credentials). */
  abstract readonly description: string;
}

/** The canonical pair of an undirected relation: its ends in byte order, as the mention tables check. */
export function relationPair(a: string, b: string): [string, string] {
  return compareInByteOrder(a, b) < 0 ? [a, b] : [b, a];
}
