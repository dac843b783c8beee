import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@strata/audit';
import { BadRequest, Conflict, ErrorCode, NotFound } from '@strata/core';
import { EmbeddingSpaceService } from '@strata/embeddings';
import { assertKbWritable, mergeKbConfig, readKbConfig } from '@strata/knowledge-bases';
import { asProviderFailure, ChatModelFactory } from '@strata/providers';
import { type GraphRelation, GraphStore, relationPair } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import { TenantConfigService, TokenMeter } from '@strata/tenants';
import { VisibleGraph } from '../visibility/visible-graph';
import { entityKey } from '../extraction/entity-name';
import { GraphEdits } from '../merge/graph-edits.repository';
import { type GraphMergeTools, GraphMerger, mergeTools, relationId } from '../merge/graph-merger.service';
import {
  CreateEntityDto,
  CreateRelationDto,
  EntityEditDto,
  MergeEntitiesDto,
  RelationEditDto,
  RelationResponse,
} from './dto/graph.dto';

/**
 * Editors' changes to a KB's graph: creating and deleting entities and relations, their fields,
 * and merging two entities. Each is audited in the transaction that stores it, then the merged
 * graph and its vectors follow. What an editor changes they must see: an entity or relation only
 * documents hidden from them mention is not found (VisibleGraph); one they create is checked
 * against the whole graph, since two entities cannot share a key.
 */
@Injectable()
export class GraphEditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly graph: GraphStore,
    private readonly visible: VisibleGraph,
    private readonly merger: GraphMerger,
    private readonly audit: AuditService,
    private readonly spaces: EmbeddingSpaceService,
    private readonly tenantConfig: TenantConfigService,
    private readonly chatModels: ChatModelFactory,
    private readonly meter: TokenMeter,
  ) {}

  /**
   * Changes an entity's fields; with a `name` of another key, renames it (its old name's later
   * mentions go to the new one). Answers the entity's key, after the change.
   */
  async editEntity(scope: KbScope, name: string, dto: EntityEditDto): Promise<string> {
    requireSomething(dto);
    const key = await this.existingEntity(scope, name);
    const { name: newName, ...fields } = dto;
    const into = newName === undefined ? key : keyOfNewName(newName);
    if (into !== key && (await this.graph.entities(scope, [into])).length > 0)
      throw new Conflict(
        ErrorCode.ENTITY_EXISTS,
        'An entity of that name is in this knowledge base: merge into it instead',
      );
    await assertKbWritable(this.dataSource, scope);
    const audit = (manager: EntityManager) =>
      this.record(manager, 'graph.entity.update', 'graph_entity', into, {
        fields: Object.keys(dto),
        ...(into !== key && { renamed_from: key }),
      });
    await this.withTools(scope, (tools) =>
      into === key
        ? this.merger.editEntity(scope, key, { ...fields, name: newName?.trim() }, tools, audit)
        : this.merger.renameEntity(scope, key, into, newName!.trim(), tools, async (manager) => {
            await GraphEdits.editEntity(manager, scope, into, fields);
            await audit(manager);
          }),
    );
    return into;
  }

  /** Creates an entity no one has yet; answers its key. */
  async createEntity(scope: KbScope, dto: CreateEntityDto): Promise<string> {
    const key = keyOfNewName(dto.name);
    if ((await this.graph.entities(scope, [key])).length > 0)
      throw new Conflict(ErrorCode.ENTITY_EXISTS, 'An entity of that name is in this knowledge base');
    await assertKbWritable(this.dataSource, scope);
    const fields = { name: dto.name.trim(), type: dto.type ?? 'unknown', description: dto.description ?? '' };
    await this.withTools(scope, (tools) =>
      this.merger.createEntity(scope, key, fields, tools, (manager) =>
        this.record(manager, 'graph.entity.create', 'graph_entity', key, { name: fields.name }),
      ),
    );
    return key;
  }

  /** Deletes an entity and its relations, for good (documents that mention it do not bring it back). */
  async deleteEntity(scope: KbScope, name: string): Promise<void> {
    const key = await this.existingEntity(scope, name);
    await assertKbWritable(this.dataSource, scope);
    await this.withTools(scope, (tools) =>
      this.merger.deleteEntity(scope, key, tools, (manager) =>
        this.record(manager, 'graph.entity.delete', 'graph_entity', key, { name }),
      ),
    );
  }

  /** Creates a relation between two entities of the graph; answers it. */
  async createRelation(scope: KbScope, dto: CreateRelationDto): Promise<RelationResponse> {
    const [one, other] = [
      await this.existingEntity(scope, dto.source),
      await this.existingEntity(scope, dto.target),
    ];
    if (one === other)
      throw new BadRequest(ErrorCode.VALIDATION_FAILED, 'source and target are the same entity');
    const pair = relationPair(one, other);
    if ((await this.graph.relationsById(scope, [relationId(scope.kbId, ...pair)])).length > 0)
      throw new Conflict(ErrorCode.RELATION_EXISTS, 'These entities are related already');
    await assertKbWritable(this.dataSource, scope);
    const fields = {
      keywords: dto.keywords ?? '',
      description: dto.description ?? '',
      weight: dto.weight ?? 1,
    };
    const id = relationId(scope.kbId, ...pair);
    await this.withTools(scope, (tools) =>
      this.merger.createRelation(scope, pair, fields, tools, (manager) =>
        this.record(manager, 'graph.relation.create', 'graph_relation', id, {
          source: dto.source,
          target: dto.target,
        }),
      ),
    );
    return this.relationResponse(scope, id);
  }

  /** Deletes a relation, for good (documents that mention it do not bring it back). */
  async deleteRelation(scope: KbScope, relationId: string): Promise<void> {
    const relation = await this.existingRelation(scope, relationId);
    await assertKbWritable(this.dataSource, scope);
    await this.withTools(scope, (tools) =>
      this.merger.deleteRelation(scope, [relation.sourceKey, relation.targetKey], tools, (manager) =>
        this.record(manager, 'graph.relation.delete', 'graph_relation', relationId, {}),
      ),
    );
  }

  async editRelation(scope: KbScope, relationId: string, dto: RelationEditDto): Promise<RelationResponse> {
    requireSomething(dto);
    const relation = await this.existingRelation(scope, relationId);
    await assertKbWritable(this.dataSource, scope);
    await this.withTools(scope, (tools) =>
      this.merger.editRelation(scope, [relation.sourceKey, relation.targetKey], dto, tools, (manager) =>
        this.record(manager, 'graph.relation.update', 'graph_relation', relationId, {
          fields: Object.keys(dto),
        }),
      ),
    );
    return this.relationResponse(scope, relationId);
  }

  private async relationResponse(scope: KbScope, relationId: string): Promise<RelationResponse> {
    const relation = await this.existingRelation(scope, relationId);
    const names = new Map(
      (await this.visible.entities(scope, [relation.sourceKey, relation.targetKey])).map((e) => [
        e.key,
        e.name,
      ]),
    );
    return {
      id: relation.id,
      source: names.get(relation.sourceKey) ?? relation.sourceKey,
      target: names.get(relation.targetKey) ?? relation.targetKey,
      keywords: relation.keywords,
      description: relation.description,
      weight: relation.weight,
    };
  }

  private async existingRelation(scope: KbScope, relationId: string): Promise<GraphRelation> {
    const [relation] = await this.visible.relationsById(scope, [relationId]);
    if (!relation)
      throw new NotFound(ErrorCode.RELATION_NOT_FOUND, 'Relation not found in this knowledge base');
    return relation;
  }

  /** The id of the relation between two entities (by name, any case, either way round). */
  async relationBetween(scope: KbScope, one: string, other: string): Promise<string> {
    const [a, b] = [entityKey(one), entityKey(other)];
    const [relation] = await this.visible.relationsById(scope, [
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
    const [entity] = await this.visible.entities(scope, [entityKey(name)]);
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
      const chat = this.chatModels.forKnowledgeBase(tenant.provider('llm'), kb.llm.model);
      // Summaries of merged descriptions count as the KB's graph work, as they do in extraction.
      const llm = chat && this.meter.chatModel(scope, 'extraction', chat);
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

/** The key a name an editor gives would have; a name that makes none is refused. */
function keyOfNewName(name: string): string {
  const key = entityKey(name);
  if (!key) throw new BadRequest(ErrorCode.VALIDATION_FAILED, 'name has no letters or digits');
  return key;
}
