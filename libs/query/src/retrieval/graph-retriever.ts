import { Injectable } from '@nestjs/common';
import { uniqueBy } from '@strata/core';
import { entityKey, VisibleGraph } from '@strata/graph';
import type { KnowledgeBaseConfig } from '@strata/knowledge-bases';
import { type GraphRelation, type RankedEntity, VectorStore } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import type { TenantSettings } from '@strata/tenants';
import { QuestionEmbedder } from './question-embedder';
import {
  addWeights,
  byWeight,
  globalWalkWeights,
  localWalkWeights,
  namesProperEntity,
  specificNames,
} from './walk-weights';

/** What the graph contributes to a query: entities, relations, and the chunks they came from. */
export interface GraphFindings {
  /** Most relevant first. */
  entities: RankedEntity[];
  relations: GraphRelation[];
  /** Source chunks of the entities and relations, most relevant first. */
  chunkIds: string[];
  /** The weight the walk carried to each chunk (see walk-weights.ts); chunkIds is heaviest first. */
  chunkWeights: ReadonlyMap<string, number>;
  /**
   * Whether the walk started from an entity the question names exactly and specifically by its
   * proper name (see specificNames and namesProperEntity): its chunks are then about that entity,
   * where text and vector search also find those of entities with a similar name.
   */
  namesEntity: boolean;
}

export const NO_FINDINGS: GraphFindings = {
  entities: [],
  relations: [],
  chunkIds: [],
  chunkWeights: new Map(),
  namesEntity: false,
};

/**
 * Walks a KB's graph for a question, LightRAG-style. `local`: entities named by the low-level
 * keywords (by name, then by meaning), their relations, and the relations of their neighbours one
 * hop further; `global`: relations matching the high-level keywords by meaning, and their ends.
 * The chunks reached are ranked by the weight the walk carried to them (see walk-weights.ts).
 * A keyword that names a specific entity exactly seeds that entity alone, not the entities that
 * merely resemble it. Every read is scoped to the KB by the stores, and what documents hidden from
 * the caller said is taken out (VisibleGraph).
 */
@Injectable()
export class GraphRetriever {
  constructor(
    private readonly graph: VisibleGraph,
    private readonly vectors: VectorStore,
    private readonly questions: QuestionEmbedder,
  ) {}

  async local(
    scope: KbScope,
    kb: KnowledgeBaseConfig,
    tenant: TenantSettings,
    keywords: string[],
    topK: number,
  ): Promise<GraphFindings> {
    if (keywords.length === 0) return NO_FINDINGS;
    // Stores return entities in no particular order (it can change with the plan): the question's
    // order decides among the named, degree and then key among the neighbours.
    const keys = keywords.map(entityKey);
    const named = orderBy(await this.graph.entities(scope, keys), keys, (e) => e.key);
    let resembling = await this.resembling(scope, kb, tenant, keywords, topK);
    const specific = specificNames(named, resembling.entities);
    // A search that found nothing (no entity vectors yet) would find nothing with fewer keywords.
    if (specific.size > 0 && resembling.entities.length > 0) {
      const rest = keywords.filter((keyword) => !specific.has(entityKey(keyword)));
      resembling = await this.resembling(scope, kb, tenant, rest, topK);
    }
    const seeds = uniqueBy(
      [
        ...named.map((entity) => ({ entity, match: 1 })),
        ...resembling.entities.map((entity) => ({ entity, match: resembling.scores.get(entity.id) ?? 0 })),
      ],
      (s) => s.entity.key,
    ).slice(0, topK);
    const seedKeys = new Set(seeds.map((s) => s.entity.key));

    // The first step takes the heaviest relations of all seeds; the second an equal share of each
    // neighbour's, so that a hub (a role every person has) cannot crowd out a company's office.
    const firstHop = await this.graph.relationsOf(scope, [...seedKeys], topK);
    const neighbourKeys = unique(
      firstHop.flatMap((r) => [r.sourceKey, r.targetKey]).filter((k) => !seedKeys.has(k)),
    );
    const secondHop = await this.graph.relationsOfEach(
      scope,
      neighbourKeys,
      Math.ceil(topK / Math.max(1, neighbourKeys.length)),
    );
    const walked = uniqueBy([...firstHop, ...secondHop], (r) => r.id);
    const neighbours = await this.graph.entities(
      scope,
      unique(walked.flatMap((r) => [r.sourceKey, r.targetKey])).filter((k) => !seedKeys.has(k)),
    );
    const degrees = new Map([...seeds.map((s) => s.entity), ...neighbours].map((e) => [e.key, e.degree]));
    const chunkWeights = localWalkWeights(seeds, walked, (key) => degrees.get(key) ?? 1);
    return {
      entities: [
        ...seeds.map((s) => s.entity),
        ...neighbours.sort((a, b) => b.degree - a.degree || a.key.localeCompare(b.key)),
      ],
      relations: walked.slice(0, topK),
      chunkIds: byWeight(
        chunksBySeed(
          seeds.map((s) => s.entity),
          walked,
        ),
        chunkWeights,
      ),
      chunkWeights,
      namesEntity: namesProperEntity(named, specific),
    };
  }

  async global(
    scope: KbScope,
    kb: KnowledgeBaseConfig,
    tenant: TenantSettings,
    keywords: string[],
    topK: number,
  ): Promise<GraphFindings> {
    if (keywords.length === 0) return NO_FINDINGS;
    const hits = await this.similar(scope, kb, tenant, keywords.join(', '), 'relation', topK);
    const ids = hits.map((h) => h.id);
    const relations = orderLike(ids, await this.graph.relationsById(scope, ids));
    const endKeys = unique(relations.flatMap((r) => [r.sourceKey, r.targetKey]));
    const byKey = new Map((await this.graph.entities(scope, endKeys)).map((e) => [e.key, e]));
    const entities = endKeys.flatMap((key) => (byKey.has(key) ? [byKey.get(key)!] : []));
    const scores = new Map(hits.map((h) => [h.id, h.score]));
    const chunkWeights = globalWalkWeights(
      relations.map((relation) => ({ relation, match: scores.get(relation.id) ?? 0 })),
      (key) => byKey.get(key),
    );
    const walk = unique([
      ...relations.flatMap((r) => r.sourceChunkIds),
      ...entities.flatMap((e) => e.sourceChunkIds),
    ]);
    return { entities, relations, chunkIds: byWeight(walk, chunkWeights), chunkWeights, namesEntity: false };
  }

  /** The entities whose vectors are nearest to the keywords, with their similarity. */
  private async resembling(
    scope: KbScope,
    kb: KnowledgeBaseConfig,
    tenant: TenantSettings,
    keywords: string[],
    topK: number,
  ): Promise<{ entities: RankedEntity[]; scores: ReadonlyMap<string, number> }> {
    const hits = keywords.length
      ? await this.similar(scope, kb, tenant, keywords.join(', '), 'entity', topK)
      : [];
    const ids = hits.map((h) => h.id);
    return {
      entities: orderLike(ids, await this.graph.entitiesById(scope, ids)),
      scores: new Map(hits.map((h) => [h.id, h.score])),
    };
  }

  /** Ids of the entity or relation vectors nearest to `text`; none before the KB has vectors. */
  private async similar(
    scope: KbScope,
    kb: KnowledgeBaseConfig,
    tenant: TenantSettings,
    text: string,
    kind: 'entity' | 'relation',
    limit: number,
  ): Promise<Array<{ id: string; score: number }>> {
    const embedded = await this.questions.embed(scope, kb, tenant, text);
    if (embedded === null) return [];
    return this.vectors.search(scope, embedded.space, { vector: embedded.vector, kind, limit });
  }
}

/**
 * The chunks of a local walk, seed by seed (the named seeds first, then those found by meaning):
 * each seed's own chunks, then those of its relations, then those of the relations one hop
 * further. What the walk reached from the best seed comes before the next seed's own chunks.
 */
export function chunksBySeed(seeds: readonly RankedEntity[], relations: readonly GraphRelation[]): string[] {
  const ordered: string[] = [];
  const touching = (keys: ReadonlySet<string>) =>
    relations.filter((r) => keys.has(r.sourceKey) || keys.has(r.targetKey));
  for (const seed of seeds) {
    const own = touching(new Set([seed.key]));
    const ends = new Set(own.flatMap((r) => [r.sourceKey, r.targetKey]).filter((k) => k !== seed.key));
    ordered.push(
      ...seed.sourceChunkIds,
      ...own.flatMap((r) => r.sourceChunkIds),
      ...touching(ends).flatMap((r) => r.sourceChunkIds),
    );
  }
  return unique([...ordered, ...relations.flatMap((r) => r.sourceChunkIds)]);
}

/** Two findings as one: entities and relations taken in turns, chunks by their added weights. */
export function combineFindings(a: GraphFindings, b: GraphFindings): GraphFindings {
  const chunkWeights = addWeights(a.chunkWeights, b.chunkWeights);
  return {
    entities: uniqueBy(alternate(a.entities, b.entities), (e) => e.key),
    relations: uniqueBy(alternate(a.relations, b.relations), (r) => r.id),
    chunkIds: byWeight(unique(alternate(a.chunkIds, b.chunkIds)), chunkWeights),
    chunkWeights,
    namesEntity: a.namesEntity || b.namesEntity,
  };
}

/** The items of two ranked lists taken in turns (a's first). */
export function alternate<T>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]);
    if (i < b.length) out.push(b[i]);
  }
  return out;
}

export const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

/** Items in the order of `ids` (a search's ranking); ids with no item are skipped. */
function orderLike<T extends { id: string }>(ids: readonly string[], items: readonly T[]): T[] {
  return orderBy(items, ids, (item) => item.id);
}

/** Items in the order of `keys`, matched by `keyOf`; keys with no item are skipped. */
function orderBy<T>(items: readonly T[], keys: readonly string[], keyOf: (item: T) => string): T[] {
  const byKey = new Map(items.map((item) => [keyOf(item), item]));
  return unique(keys).flatMap((key) => (byKey.has(key) ? [byKey.get(key)!] : []));
}
