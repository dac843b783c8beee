import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  type GraphEntity,
  type GraphRelation,
  GraphStore,
  type NeighbourhoodRequest,
  type RankedEntity,
  type Subgraph,
} from '@strata/storage';
import { hiddenDocumentsOf, type KbScope } from '@strata/tenancy';
import { entityKey } from '../extraction/entity-name';
import { mergeDescriptions, mergeKeywords } from '../merge/graph-merger.service';
import { HiddenMentions, pairId } from './hidden-mentions.repository';

/**
 * The graph store's reads as a caller sees them when documents are hidden from them (the scope's
 * `hiddenDocumentIds`). The merged graph keeps no document of its own, so what hidden documents
 * said is taken out here, from the mention tables:
 *
 * - an entity or relation only hidden documents mention is left out, and so is every relation
 *   touching a left-out entity;
 * - one that visible documents mention too keeps its name and ends, but its description is
 *   assembled from the visible documents' mentions alone (joined, cut as a merge cuts, never
 *   summarised on the way) and its source chunks are theirs; an editor's description is not shown,
 *   since it may have been written from the hidden ones;
 * - an entity or relation an editor created and no document mentions is shown as it is.
 *
 * With no hidden documents every read is the store's own. Degrees still count every relation.
 */
@Injectable()
export class VisibleGraph {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly graph: GraphStore,
  ) {}

  async entities(scope: KbScope, keys: readonly string[]): Promise<RankedEntity[]> {
    return this.visibleEntities(scope, await this.graph.entities(scope, keys));
  }

  async entitiesById(scope: KbScope, ids: readonly string[]): Promise<RankedEntity[]> {
    return this.visibleEntities(scope, await this.graph.entitiesById(scope, ids));
  }

  async relationsById(scope: KbScope, ids: readonly string[]): Promise<GraphRelation[]> {
    return this.visibleRelations(scope, await this.graph.relationsById(scope, ids));
  }

  async relationsOf(scope: KbScope, keys: readonly string[], limit: number): Promise<GraphRelation[]> {
    return this.visibleRelations(scope, await this.graph.relationsOf(scope, keys, limit));
  }

  async relationsOfEach(scope: KbScope, keys: readonly string[], perKey: number): Promise<GraphRelation[]> {
    return this.visibleRelations(scope, await this.graph.relationsOfEach(scope, keys, perKey));
  }

  async neighbourhood(scope: KbScope, request: NeighbourhoodRequest): Promise<Subgraph> {
    const found = await this.graph.neighbourhood(scope, request);
    if (!this.hides(scope)) return found;
    const entities = await this.visibleEntities(scope, found.entities);
    const kept = new Set(entities.map((e) => e.key));
    const relations = await this.visibleRelations(
      scope,
      found.relations.filter((r) => kept.has(r.sourceKey) && kept.has(r.targetKey)),
    );
    return { entities, relations, truncated: found.truncated };
  }

  async labels(
    scope: KbScope,
    search: string,
    limit: number,
  ): Promise<Array<{ name: string; degree: number }>> {
    const labels = await this.graph.labels(scope, search, limit);
    if (!this.hides(scope)) return labels;
    const touched = await HiddenMentions.entitiesTouched(
      this.dataSource,
      scope,
      labels.map((l) => entityKey(l.name)),
    );
    if (touched.size === 0) return labels;
    const visible = await HiddenMentions.visibleEntityMentions(this.dataSource, scope, [...touched]);
    return labels.filter((l) => !touched.has(entityKey(l.name)) || visible.has(entityKey(l.name)));
  }

  private hides(scope: KbScope): boolean {
    return hiddenDocumentsOf(scope).length > 0;
  }

  private async visibleEntities<T extends GraphEntity>(scope: KbScope, entities: readonly T[]): Promise<T[]> {
    if (!this.hides(scope) || entities.length === 0) return [...entities];
    const touched = await HiddenMentions.entitiesTouched(
      this.dataSource,
      scope,
      entities.map((e) => e.key),
    );
    if (touched.size === 0) return [...entities];
    const visible = await HiddenMentions.visibleEntityMentions(this.dataSource, scope, [...touched]);
    const out: T[] = [];
    for (const entity of entities) {
      if (!touched.has(entity.key)) out.push(entity);
      else if (visible.has(entity.key)) {
        const { chunkIds, descriptions } = visible.get(entity.key)!;
        const description = await mergeDescriptions(entity.name, descriptions, null);
        out.push({ ...entity, description, sourceChunkIds: chunkIds });
      }
    }
    return out;
  }

  private async visibleRelations(
    scope: KbScope,
    relations: readonly GraphRelation[],
  ): Promise<GraphRelation[]> {
    if (!this.hides(scope) || relations.length === 0) return [...relations];
    const ends = [...new Set(relations.flatMap((r) => [r.sourceKey, r.targetKey]))];
    const endsTouched = await HiddenMentions.entitiesTouched(this.dataSource, scope, ends);
    const endsSeen = await HiddenMentions.visibleEntityMentions(this.dataSource, scope, [...endsTouched]);
    const endVisible = (key: string) => !endsTouched.has(key) || endsSeen.has(key);
    const candidates = relations.filter((r) => endVisible(r.sourceKey) && endVisible(r.targetKey));
    const pairs = candidates.map((r) => [r.sourceKey, r.targetKey] as const);
    const touched = await HiddenMentions.relationsTouched(this.dataSource, scope, pairs);
    if (touched.size === 0) return candidates;
    const visible = await HiddenMentions.visibleRelationMentions(
      this.dataSource,
      scope,
      pairs.filter(([a, b]) => touched.has(pairId(a, b))),
    );
    const out: GraphRelation[] = [];
    for (const relation of candidates) {
      const id = pairId(relation.sourceKey, relation.targetKey);
      if (!touched.has(id)) out.push(relation);
      else if (visible.has(id)) {
        const { chunkIds, descriptions, keywords, weight } = visible.get(id)!;
        const subject = `${relation.sourceKey} and ${relation.targetKey}`;
        out.push({
          ...relation,
          keywords: mergeKeywords(keywords),
          description: await mergeDescriptions(subject, descriptions, null),
          weight,
          sourceChunkIds: chunkIds,
        });
      }
    }
    return out;
  }
}
