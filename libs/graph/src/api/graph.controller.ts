import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiDefaultResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuditAction, AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import { ErrorResponse } from '@strata/core';
import { KB_PARAM } from '@strata/knowledge-bases';
import { TENANT_PARAM } from '@strata/tenants';
import { TenantContextService } from '@strata/tenancy';
import {
  CreateEntityDto,
  CreateRelationDto,
  EntityEditDto,
  EntityResponse,
  LabelsQuery,
  LabelsResponse,
  MergeEntitiesDto,
  RelationEditDto,
  RelationResponse,
  SubgraphQuery,
  SubgraphResponse,
} from './dto/graph.dto';
import { GraphEditService } from './graph-edit.service';
import { GraphPolicies } from './graph.policies';
import { GraphReadService } from './graph-read.service';

@ApiTags('graph')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@ApiParam(KB_PARAM)
@AuditResource('graph')
@Controller('tenants/:tenantId/knowledge-bases/:kbId/graph')
export class GraphController {
  constructor(
    private readonly reads: GraphReadService,
    private readonly edits: GraphEditService,
    private readonly contexts: TenantContextService,
  ) {}

  @Get()
  @CheckPolicies(GraphPolicies.read)
  @ApiOperation({
    summary:
      'A subgraph: the entities within max_depth relations of label (nearest first), and their relations',
  })
  @ApiOkResponse({ type: SubgraphResponse })
  subgraph(@Query() query: SubgraphQuery): Promise<SubgraphResponse> {
    return this.reads.subgraph(this.contexts.require().kbScope(), {
      label: query.label,
      maxDepth: query.max_depth ?? 2,
      maxNodes: query.max_nodes ?? 200,
    });
  }

  @Get('labels')
  @CheckPolicies(GraphPolicies.read)
  @ApiOperation({ summary: 'Entity names, best-connected first, optionally containing q' })
  @ApiOkResponse({ type: LabelsResponse })
  labels(@Query() query: LabelsQuery): Promise<LabelsResponse> {
    return this.reads.labels(this.contexts.require().kbScope(), query.q ?? '', query.limit ?? 20);
  }

  @Get('entities/:name')
  @CheckPolicies(GraphPolicies.read)
  @ApiParam({ name: 'name', description: 'Entity name (any case)' })
  @ApiOperation({ summary: 'One entity: its description, sources and relations' })
  @ApiOkResponse({ type: EntityResponse })
  entity(@Param('name') name: string): Promise<EntityResponse> {
    return this.reads.entity(this.contexts.require().kbScope(), name);
  }

  @Post('entities')
  @AuditAction('graph.entity.create')
  @CheckPolicies(GraphPolicies.update)
  @ApiOperation({
    summary:
      'Create an entity (editor and up): it stays whatever documents say, until deleted; ENTITY_EXISTS (409) when the name is taken',
  })
  @ApiCreatedResponse({ type: EntityResponse })
  async createEntity(@Body() dto: CreateEntityDto): Promise<EntityResponse> {
    const scope = this.contexts.require().kbScope();
    return this.reads.entity(scope, await this.edits.createEntity(scope, dto));
  }

  @Delete('entities/:name')
  @HttpCode(204)
  @AuditAction('graph.entity.delete')
  @CheckPolicies(GraphPolicies.update)
  @ApiParam({ name: 'name', description: 'Entity name (any case)' })
  @ApiOperation({
    summary:
      'Delete an entity and its relations (editor and up); documents that mention it do not bring it back, creating it again does',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  async deleteEntity(@Param('name') name: string): Promise<void> {
    await this.edits.deleteEntity(this.contexts.require().kbScope(), name);
  }

  @Patch('entities/:name')
  @AuditAction('graph.entity.update')
  @CheckPolicies(GraphPolicies.update)
  @ApiParam({ name: 'name', description: 'Entity name (any case)' })
  @ApiOperation({
    summary:
      "Change an entity's type or description (editor and up); kept over later extraction, null clears",
  })
  @ApiOkResponse({ type: EntityResponse })
  async editEntity(@Param('name') name: string, @Body() dto: EntityEditDto): Promise<EntityResponse> {
    const scope = this.contexts.require().kbScope();
    const key = await this.edits.editEntity(scope, name, dto);
    return this.reads.entity(scope, key);
  }

  @Post('entities/merge')
  @HttpCode(200)
  @AuditAction('graph.entity.merge')
  @CheckPolicies(GraphPolicies.update)
  @ApiOperation({
    summary:
      'Merge source into target (editor and up): its mentions and relations move over, and later mentions of source go to target',
  })
  @ApiOkResponse({ type: EntityResponse })
  async merge(@Body() dto: MergeEntitiesDto): Promise<EntityResponse> {
    const scope = this.contexts.require().kbScope();
    return this.reads.entity(scope, await this.edits.merge(scope, dto));
  }

  @Post('relations')
  @AuditAction('graph.relation.create')
  @CheckPolicies(GraphPolicies.update)
  @ApiOperation({
    summary:
      'Create a relation between two entities (editor and up); it stays whatever documents say, until deleted; RELATION_EXISTS (409) when they are related',
  })
  @ApiCreatedResponse({ type: RelationResponse })
  createRelation(@Body() dto: CreateRelationDto): Promise<RelationResponse> {
    return this.edits.createRelation(this.contexts.require().kbScope(), dto);
  }

  @Delete('relations/:relationId')
  @HttpCode(204)
  @AuditAction('graph.relation.delete')
  @CheckPolicies(GraphPolicies.update)
  @ApiParam({ name: 'relationId', description: 'Relation uuid (edges[].id)' })
  @ApiOperation({
    summary: 'Delete a relation (editor and up); documents that mention it do not bring it back',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  async deleteRelation(@Param('relationId') relationId: string): Promise<void> {
    await this.edits.deleteRelation(this.contexts.require().kbScope(), relationId);
  }

  @Patch('relations/:relationId')
  @AuditAction('graph.relation.update')
  @CheckPolicies(GraphPolicies.update)
  @ApiParam({ name: 'relationId', description: 'Relation uuid (edges[].id)' })
  @ApiOperation({
    summary: "Change a relation's keywords, description or weight (editor and up); null clears",
  })
  @ApiOkResponse({ type: RelationResponse })
  editRelation(
    @Param('relationId') relationId: string,
    @Body() dto: RelationEditDto,
  ): Promise<RelationResponse> {
    return this.edits.editRelation(this.contexts.require().kbScope(), relationId, dto);
  }
}
