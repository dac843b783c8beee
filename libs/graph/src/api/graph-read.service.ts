import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ErrorCode, NotFound } from '@strata/core';
import { documentsOfChunks } from '@strata/documents';
import type { GraphRelation, RankedEntity } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import { entityKey } from '../extraction/entity-name';
import { VisibleGraph } from '../visibility/visible-graph';
import { EntityResponse, GraphNode, LabelsResponse, SubgraphResponse } from './dto/graph.dto';

const ENTITY_RELATIONS = 100;

/**
 * What the graph routes answer, read from the graph store within the request's KB, as the caller
 * may see it (see VisibleGraph).
 */
@Injectable()
export class GraphReadService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly graph: VisibleGraph,
  ) {}

  async subgraph(
    scope: KbScope,
    request: { label?: string; maxDepth: number; maxNodes: number },
  ): Promise<SubgraphResponse> {
    const label = request.label?.trim();
    const startKey = !label || label === '*' ? null : entityKey(label);
    const { entities, relations, truncated } = await this.graph.neighbourhood(scope, {
      startKey,
      maxDepth: request.maxDepth,
      maxNodes: request.maxNodes,
    });
    const idOf = new Map(entities.map((e) => [e.key, e.id]));
    return {
      nodes: entities.map(toNode),
      edges: relations.map((r) => ({
        id: r.id,
        source: idOf.get(r.sourceKey)!,
        target: idOf.get(r.targetKey)!,
        keywords: r.keywords,
        description: r.description,
        weight: r.weight,
      })),
      is_truncated: truncated,
    };
  }

  async labels(scope: KbScope, search: string, limit: number): Promise<LabelsResponse> {
    return { labels: await this.graph.labels(scope, search.trim(), limit) };
  }

  /** Whether the KB holds an entity of this name (any case and punctuation, as names merge). */
  async exists(scope: KbScope, name: string): Promise<boolean> {
    return (await this.graph.entities(scope, [entityKey(name)])).length > 0;
  }

  /** One entity by name (or key, which is its normalised name). */
  async entity(scope: KbScope, name: string): Promise<EntityResponse> {
    const [entity] = await this.graph.entities(scope, [entityKey(name)]);
    if (!entity) throw new NotFound(ErrorCode.ENTITY_NOT_FOUND, 'Entity not found in this knowledge base');
    const relations = await this.graph.relationsOf(scope, [entity.key], ENTITY_RELATIONS);
    const otherKeys = relations.map((r) => other(r, entity.key));
    const names = new Map((await this.graph.entities(scope, otherKeys)).map((e) => [e.key, e.name]));
    const documents = await documentsOfChunks(this.dataSource, scope, entity.sourceChunkIds);
    return {
      ...toNode(entity),
      source_chunk_ids: entity.sourceChunkIds,
      documents,
      relations: relations.map((r) => ({
        id: r.id,
        entity: names.get(other(r, entity.key)) ?? other(r, entity.key),
        keywords: r.keywords,
        description: r.description,
        weight: r.weight,
      })),
    };
  }
}

const toNode = (e: RankedEntity): GraphNode => ({
  id: e.id,
  label: e.name,
  type: e.type,
  description: e.description,
  degree: e.degree,
});

const other = (r: GraphRelation, key: string) => (r.sourceKey === key ? r.targetKey : r.sourceKey);
