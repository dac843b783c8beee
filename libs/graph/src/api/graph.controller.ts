import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiDefaultResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import { ErrorResponse } from '@strata/core';
import { KB_PARAM } from '@strata/knowledge-bases';
import { TENANT_PARAM } from '@strata/tenants';
import { TenantContextService } from '@strata/tenancy';
import {
  EntityResponse,
  LabelsQuery,
  LabelsResponse,
  SubgraphQuery,
  SubgraphResponse,
} from './dto/graph.dto';
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
}
