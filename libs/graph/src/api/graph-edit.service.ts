import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@strata/audit';
import { BadRequest, ErrorCode, NotFound } from '@strata/core';
import { EmbeddingSpaceService } from '@strata/embeddings';
import { assertKbWritable, mergeKbConfig, readKbConfig } from '@strata/knowledge-bases';
import { asProviderFailure, ChatModelFactory } from '@strata/providers';
import { GraphStore } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import { TenantConfigService } from '@strata/tenants';
import { entityKey } from '../extraction/entity-name';
import { type GraphMergeTools, GraphMerger, mergeTools, relationId } from '../merge/graph-merger.service';
import { EntityEditDto, MergeEntitiesDto, RelationEditDto, RelationResponse } from './dto/graph.dto';

/**
 * Editors' changes to a KB's graph: entity and relation fields, and merging two entities. Each
 * is audited in the transaction that stores it, then the merged graph and its vectors follow.
 */
@Injectable()
export class GraphEditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly graph: GraphStore,
    private readonly merger: GraphMerger,
    private readonly audit: AuditService,
    private readonly spaces: EmbeddingSpaceService,
    private readonly tenantConfig: TenantConfigService,
    private readonly chatModels: ChatModelFactory,
  ) {}

  /** Answers the entity's key once it is known to exist and the KB accepts changes. */
  async editEntity(scope: KbScope, name: string, dto: EntityEditDto): Promise<string> {
    requireSomething(dto);
    const key = await this.existingEntity(scope, name);
    await assertKbWritable(this.dataSource, scope);
    await this.withTools(scope, (tools) =>
      this.merger.editEntity(scope, key, dto, tools, (manager) =>
        this.record(manager, 'graph.entity.update', 'graph_entity', key, { fields: Object.keys(dto) }),
      ),
    );
    return key;
  }

  async editRelation(scope: KbScope, relationId: string, dto: RelationEditDto): Promise<RelationResponse> {
    requireSomething(dto);
    const [relation] = await this.graph.relationsById(scope, [relationId]);
    if (!relation)
      throw new NotFound(ErrorCode.RELATION_NOT_FOUND, 'Relation not found in this knowledge base');
    await assertKbWritable(this.dataSource, scope);
    await this.withTools(scope, (tools) =>
      this.merger.editRelation(scope, [relation.sourceKey, relation.targetKey], dto, tools, (manager) =>
        this.record(manager, 'graph.relation.update', 'graph_relation', relationId, {
          fields: Object.keys(dto),
        }),
      ),
    );
    const [updated] = await this.graph.relationsById(scope, [relationId]);
    const names = new Map(
      (await this.graph.entities(scope, [updated.sourceKey, updated.targetKey])).map((e) => [e.key, e.name]),
    );
    return {
      id: updated.id,
      source: names.get(updated.sourceKey) ?? updated.sourceKey,
      target: names.get(updated.targetKey) ?? updated.targetKey,
      keywords: updated.keywords,
      description: updated.description,
      weight: updated.weight,
    };
  }

  /** The id of the relation between two entities (by name, any case, either way round). */
  async relationBetween(scope: KbScope, one: string, other: string): Promise<string> {
    const [a, b] = [entityKey(one), entityKey(other)];
    const [relation] = await this.graph.relationsById(scope, [
      relationId(scope.kbId, a, b),
      relationId(scope.kbId, b, a),
    ]);
    if (!relation)
      throw new NotFound(ErrorCode.RELATION_NOT_FOUND, 'Relation not found in this knowledge base');
    return relation.id;
  }

  /** Merges `source` into `target`; answers the key of the entity that stays. */
  async merge(scope: KbScope, dto: MergeEntitiesDto): Promise<string> {
    const from = await this.existingEntity(scope, dto.source);
    const into = await this.existingEntity(scope, dto.target);
    if (from === into)
      throw new BadRequest(ErrorCode.VALIDATION_FAILED, 'source and target are the same entity');
    await assertKbWritable(this.dataSource, scope);
    await this.withTools(scope, (tools) =>
      this.merger.mergeEntities(scope, from, into, tools, (manager) =>
        this.record(manager, 'graph.entity.merge', 'graph_entity', into, {
          merged: dto.source,
          into: dto.target,
        }),
      ),
    );
    return into;
  }

  private async existingEntity(scope: KbScope, name: string): Promise<string> {
    const [entity] = await this.graph.entities(scope, [entityKey(name)]);
    if (!entity) throw new NotFound(ErrorCode.ENTITY_NOT_FOUND, 'Entity not found in this knowledge base');
    return entity.key;
  }

  /** Runs a change with the KB's embedder and LLM, so changed entities get new vectors and summaries. */
  private async withTools(
    scope: KbScope,
    change: (tools: GraphMergeTools | null) => Promise<void>,
  ): Promise<void> {
    const kb = (await readKbConfig(this.dataSource, scope)) ?? mergeKbConfig(null);
    const { model, dimension } = kb.embedding;
    const tenant = await this.tenantConfig.settings(scope);
    try {
      if (!model || !dimension) return await change(null);
      const embedder = await this.spaces.embedderFor(scope, model, tenant);
      const llm = this.chatModels.forKnowledgeBase(tenant.provider('llm'), kb.llm.model);
      await change(mergeTools(embedder, { model, dimension }, llm));
    } catch (error) {
      throw asProviderFailure(error, 'embedding provider');
    }
  }

  private record(
    manager: EntityManager,
    action: string,
    resourceType: string,
    resourceId: string,
    details: Record<string, unknown>,
  ): Promise<unknown> {
    return this.audit.record({ action, outcome: 'success', resourceType, resourceId, details }, manager);
  }
}

function requireSomething(dto: object): void {
  if (Object.values(dto).every((value) => value === undefined)) {
    throw new BadRequest(ErrorCode.VALIDATION_FAILED, 'nothing to change: give at least one field');
  }
}
