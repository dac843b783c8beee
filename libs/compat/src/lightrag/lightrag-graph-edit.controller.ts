import { Body, Controller, Delete, HttpCode, Post, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuditAction, AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import { BadRequest, ErrorCode, NotFound } from '@strata/core';
import {
  entityKey,
  GraphEditService,
  GraphPolicies,
  GraphReadService,
  type RelationResponse,
} from '@strata/graph';
import { KB_PARAM } from '@strata/knowledge-bases';
import { TENANT_PARAM } from '@strata/tenants';
import { TenantContextService } from '@strata/tenancy';
import {
  LightRagEntityCreateDto,
  LightRagEntityDeleteDto,
  LightRagEntityEditDto,
  LightRagEntityMergeDto,
  LightRagRelationCreateDto,
  LightRagRelationDeleteDto,
  LightRagRelationEditDto,
} from './dto/lightrag-graph-edit.dto';
import { LightRagErrorFilter } from './lightrag-error.filter';

/**
 * LightRAG's graph edits over one KB: creating and deleting entities and relations, an entity's
 * name (with `allow_rename`), type and description, a relation's keywords, description and weight,
 * and merging entities into one. They are Strata's editor edits (kept over later extraction,
 * audited).
 */
@ApiTags('lightrag-compatible')
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@ApiParam(KB_PARAM)
@AuditResource('graph')
@UseFilters(LightRagErrorFilter)
@Controller('tenants/:tenantId/knowledge-bases/:kbId/lightrag')
export class LightRagGraphEditController {
  constructor(
    private readonly edits: GraphEditService,
    private readonly reads: GraphReadService,
    private readonly contexts: TenantContextService,
  ) {}

  @Post('graph/entity/create')
  @HttpCode(200)
  @AuditAction('graph.entity.create')
  @CheckPolicies(GraphPolicies.update)
  @ApiOperation({
    summary: 'Create an entity (editor and up); 409 ENTITY_EXISTS when the name is taken (LightRAG: 400)',
  })
  @ApiOkResponse({ description: '`{status: success, message, data: {entity_name, graph_data}}`' })
  async createEntity(@Body() dto: LightRagEntityCreateDto) {
    const scope = this.contexts.require().kbScope();
    const key = await this.edits.createEntity(scope, {
      name: dto.entity_name,
      type: dto.entity_data.entity_type,
      description: dto.entity_data.description,
    });
    return {
      status: 'success',
      message: `Entity '${dto.entity_name}' created successfully`,
      data: await this.entityInfo(key),
    };
  }

  @Post('graph/relation/create')
  @HttpCode(200)
  @AuditAction('graph.relation.create')
  @CheckPolicies(GraphPolicies.update)
  @ApiOperation({
    summary:
      'Create a relation between two entities (editor and up); 404 for an unknown end, 409 RELATION_EXISTS when related (LightRAG: 400)',
  })
  @ApiOkResponse({ description: '`{status: success, message, data: {src_entity, tgt_entity, graph_data}}`' })
  async createRelation(@Body() dto: LightRagRelationCreateDto) {
    const relation = await this.edits.createRelation(this.contexts.require().kbScope(), {
      source: dto.source_entity,
      target: dto.target_entity,
      ...dto.relation_data,
    });
    return {
      status: 'success',
      message: `Relation created successfully between '${dto.source_entity}' and '${dto.target_entity}'`,
      data: relationInfo(relation),
    };
  }

  @Delete('documents/delete_entity')
  @HttpCode(200)
  @AuditAction('graph.entity.delete')
  @CheckPolicies(GraphPolicies.update)
  @ApiOperation({
    summary:
      'Delete an entity and its relations (editor and up); documents that mention it do not bring it back',
  })
  @ApiOkResponse({ description: '`{status: success, doc_id, message, status_code: 200}`' })
  async deleteEntity(@Body() dto: LightRagEntityDeleteDto) {
    await this.edits.deleteEntity(this.contexts.require().kbScope(), dto.entity_name);
    return {
      status: 'success',
      doc_id: dto.entity_name,
      message: `Entity '${dto.entity_name}' and its relationships have been deleted.`,
      status_code: 200,
    };
  }

  @Delete('documents/delete_relation')
  @HttpCode(200)
  @AuditAction('graph.relation.delete')
  @CheckPolicies(GraphPolicies.update)
  @ApiOperation({
    summary:
      'Delete the relation between two entities (editor and up); documents that mention it do not bring it back',
  })
  @ApiOkResponse({ description: '`{status: success, doc_id, message, status_code: 200}`' })
  async deleteRelation(@Body() dto: LightRagRelationDeleteDto) {
    const scope = this.contexts.require().kbScope();
    const id = await this.edits.relationBetween(scope, dto.source_entity, dto.target_entity);
    await this.edits.deleteRelation(scope, id);
    return {
      status: 'success',
      doc_id: `${dto.source_entity} -> ${dto.target_entity}`,
      message: `Relation from '${dto.source_entity}' to '${dto.target_entity}' has been deleted.`,
      status_code: 200,
    };
  }

  @Post('graph/entity/edit')
  @HttpCode(200)
  @AuditAction('graph.entity.update')
  @CheckPolicies(GraphPolicies.update)
  @ApiOperation({ summary: "Change an entity's entity_type or description (editor and up)" })
  @ApiOkResponse({ description: '`{status: success, message, data: {entity_name, graph_data}}`' })
  async editEntity(@Body() dto: LightRagEntityEditDto) {
    const { entity_name: name, entity_type: type, description } = dto.updated_data;
    if (name !== undefined && entityKey(name) !== entityKey(dto.entity_name) && dto.allow_rename !== true) {
      throw new BadRequest(ErrorCode.VALIDATION_FAILED, 'Renaming an entity needs allow_rename: true');
    }
    const scope = this.contexts.require().kbScope();
    const key = await this.edits.editEntity(scope, dto.entity_name, { name, type, description });
    return { status: 'success', message: 'Entity updated successfully', data: await this.entityInfo(key) };
  }

  @Post('graph/relation/edit')
  @HttpCode(200)
  @AuditAction('graph.relation.update')
  @CheckPolicies(GraphPolicies.update)
  @ApiOperation({ summary: "Change a relation's keywords, description or weight (editor and up)" })
  @ApiOkResponse({ description: '`{status: success, message, data: {src_entity, tgt_entity, graph_data}}`' })
  async editRelation(@Body() dto: LightRagRelationEditDto) {
    const scope = this.contexts.require().kbScope();
    const id = await this.edits.relationBetween(scope, dto.source_id, dto.target_id);
    const relation = await this.edits.editRelation(scope, id, dto.updated_data);
    return { status: 'success', message: 'Relation updated successfully', data: relationInfo(relation) };
  }

  @Post('graph/entities/merge')
  @HttpCode(200)
  @AuditAction('graph.entity.merge')
  @CheckPolicies(GraphPolicies.update)
  @ApiOperation({
    summary: 'Merge entities into one (editor and up): their mentions and relations move over, for good',
  })
  @ApiOkResponse({ description: '`{status: success, message, data: {entity_name, graph_data}}`' })
  async merge(@Body() dto: LightRagEntityMergeDto) {
    const scope = this.contexts.require().kbScope();
    const target = dto.entity_to_change_into;
    const sources = [...new Set(dto.entities_to_change.map(entityKey))]
      .map((key) => dto.entities_to_change.find((name) => entityKey(name) === key)!)
      .filter((name) => entityKey(name) !== entityKey(target));
    // Every name is checked before anything merges: all of them, or none.
    for (const name of [...sources, target]) {
      if (!(await this.reads.exists(scope, name)))
        throw new NotFound(ErrorCode.ENTITY_NOT_FOUND, `Entity '${name}' not found in this knowledge base`);
    }
    let into = entityKey(target);
    for (const source of sources) into = await this.edits.merge(scope, { source, target });
    return {
      status: 'success',
      message: `Successfully merged ${sources.length} entit${sources.length === 1 ? 'y' : 'ies'} into '${target}'`,
      data: await this.entityInfo(into),
    };
  }

  /** An entity as LightRAG's edits answer it. */
  private async entityInfo(key: string) {
    const entity = await this.reads.entity(this.contexts.require().kbScope(), key);
    return {
      entity_name: entity.label,
      graph_data: {
        entity_id: entity.label,
        entity_type: entity.type,
        description: entity.description,
        source_id: entity.source_chunk_ids.join('<SEP>'),
      },
    };
  }
}

/** A relation as LightRAG's edits answer it. */
const relationInfo = (relation: RelationResponse) => ({
  src_entity: relation.source,
  tgt_entity: relation.target,
  graph_data: { keywords: relation.keywords, description: relation.description, weight: relation.weight },
});
