import { isConcept } from '@strata/graph';
import type { GraphRelation, RankedEntity } from '@strata/storage';

/**
 * How a graph walk ranks the chunks it reaches. The walk's seeds share a weight of 1 by how well
 * they match the question; an entity passes its weight on in equal shares over its relations (a
 * hub with 80 relations passes 1/80 along each, a company with 3 passes a third), and a relation
 * passes what it got to the entity at its other end. Each entity and relation shares what it
 * holds among its source chunks. A chunk's weight is what reached it, so a chunk two steps from
 * a precise seed can rank above one next to a vague seed; no constant is tuned.
 */
export class ChunkWeights {
  private readonly weights = new Map<string, number>();

  /** Shares `weight` among `chunkIds`. */
  credit(chunkIds: readonly string[], weight: number): void {
    if (chunkIds.length === 0 || weight <= 0) return;
    for (const id of chunkIds) this.weights.set(id, (this.weights.get(id) ?? 0) + weight / chunkIds.length);
  }

  get map(): ReadonlyMap<string, number> {
    return this.weights;
  }
}

/** A seed of a walk and how well it matches the question (any scale: the weights are normalised). */
export interface WalkSeed {
  entity: RankedEntity;
  match: number;
}

/**
 * The chunk weights of a local walk: the seeds' own chunks, their relations' chunks, and the
 * chunks of the relations one step further (from the neighbours the first step reached).
 */
export function localWalkWeights(
  seeds: readonly WalkSeed[],
  relations: readonly GraphRelation[],
  degreeOf: (key: string) => number,
): ReadonlyMap<string, number> {
  const weights = new ChunkWeights();
  const total = seeds.reduce((sum, s) => sum + Math.max(0, s.match), 0);
  if (total === 0) return weights.map;
  const held = new Map(seeds.map((s) => [s.entity.key, Math.max(0, s.match) / total]));
  for (const seed of seeds) weights.credit(seed.entity.sourceChunkIds, held.get(seed.entity.key)!);

  const passed = new Set<string>();
  const step = (from: ReadonlyMap<string, number>): Map<string, number> => {
    const reached = new Map<string, number>();
    for (const relation of relations) {
      if (passed.has(relation.id)) continue;
      for (const [here, there] of [
        [relation.sourceKey, relation.targetKey],
        [relation.targetKey, relation.sourceKey],
      ]) {
        const weight = (from.get(here) ?? 0) / Math.max(1, degreeOf(here));
        if (weight === 0) continue;
        passed.add(relation.id);
        weights.credit(relation.sourceChunkIds, weight);
        if (!held.has(there)) reached.set(there, (reached.get(there) ?? 0) + weight);
      }
    }
    return reached;
  };
  step(step(held));
  return weights.map;
}

/**
 * The chunk weights of a global walk: the matched relations share a weight of 1 by their match,
 * and pass it to their chunks and, through their ends, to the ends' chunks.
 */
export function globalWalkWeights(
  relations: ReadonlyArray<{ relation: GraphRelation; match: number }>,
  endOf: (key: string) => RankedEntity | undefined,
): ReadonlyMap<string, number> {
  const weights = new ChunkWeights();
  const total = relations.reduce((sum, r) => sum + Math.max(0, r.match), 0);
  if (total === 0) return weights.map;
  for (const { relation, match } of relations) {
    const weight = Math.max(0, match) / total;
    weights.credit(relation.sourceChunkIds, weight);
    for (const key of [relation.sourceKey, relation.targetKey]) {
      const end = endOf(key);
      if (end) weights.credit(end.sourceChunkIds, weight / Math.max(1, end.degree));
    }
  }
  return weights.map;
}

/**
 * The named entities that are specific: at most as connected as the median of the entities the
 * question's words resemble. Such a name (a person, a company) means that entity and no other,
 * so entities that only resemble it (namesakes) are not seeds; a general one ("pressure", with
 * hundreds of relations) keeps its resembling, narrower entities as seeds.
 */
export function specificNames(
  named: readonly RankedEntity[],
  resembling: readonly RankedEntity[],
): Set<string> {
  if (resembling.length === 0) return new Set(named.map((e) => e.key));
  const degrees = resembling.map((e) => e.degree).sort((a, b) => a - b);
  const median = degrees[Math.floor(degrees.length / 2)];
  return new Set(named.filter((e) => e.degree <= median).map((e) => e.key));
}

/**
 * Whether one of the specific names is a proper name (a person, a company, a place) rather than a
 * concept ("real gas", "similarity laws"). A proper name means one thing, whose chunks the graph
 * knows, where text and vector search also find namesakes'; a concept named exactly is the
 * question's topic, which text and vector search rank chunks by themselves.
 */
export function namesProperEntity(named: readonly RankedEntity[], specific: ReadonlySet<string>): boolean {
  return named.some((entity) => specific.has(entity.key) && !isConcept(entity));
}

/** Ids by weight, heaviest first; equal weights keep the order given. */
export function byWeight(ids: readonly string[], weights: ReadonlyMap<string, number>): string[] {
  const rank = new Map(ids.map((id, i) => [id, i]));
  return [...ids].sort(
    (a, b) => (weights.get(b) ?? 0) - (weights.get(a) ?? 0) || rank.get(a)! - rank.get(b)!,
  );
}

/** Two walks' chunk weights added up. */
export function addWeights(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
): Map<string, number> {
  const sum = new Map(a);
  for (const [id, weight] of b) sum.set(id, (sum.get(id) ?? 0) + weight);
  return sum;
}
