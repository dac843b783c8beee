import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import { GraphPolicies, GraphReadService, MAX_NODES } from '@strata/graph';
import { KB_PARAM } from '@strata/knowledge-bases';
import { TENANT_PARAM } from '@strata/tenants';
import { TenantContextService } from '@strata/tenancy';
import {
  LightRagEntityExistsQuery,
  LightRagGraphQuery,
  LightRagLabelSearchQuery,
  LightRagLabelsQuery,
  MAX_LIGHTRAG_LABELS,
} from './dto/lightrag-graph.dto';
import { LightRagErrorFilter } from './lightrag-error.filter';
import { lightRagGraph } from './lightrag-graph';

/**
 * LightRAG's graph reading routes over one KB (what its web UI and scripts call to draw and
 * search the graph), with Strata's credentials and policies. Changing the graph goes through
 * Strata's own graph routes.
 */
@ApiTags('lightrag-compatible')
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@ApiParam(KB_PARAM)
@AuditResource('graph')
@UseFilters(LightRagErrorFilter)
@Controller('tenants/:tenantId/knowledge-bases/:kbId/lightrag')
export class LightRagGraphController {
  constructor(
    private readonly reads: GraphReadService,
    private readonly contexts: TenantContextService,
  ) {}

  @Get('graphs')
  @CheckPolicies(GraphPolicies.read)
  @ApiOperation({ summary: "The subgraph around an entity in LightRAG's shape (`*`: the best-connected)" })
  @ApiOkResponse({
    description:
      '`{nodes: [{id, labels, properties}], edges: [{id, type, source, target, properties}], is_truncated}`',
  })
  async graphs(@Query() query: LightRagGraphQuery) {
    const subgraph = await this.reads.subgraph(this.contexts.require().kbScope(), {
      label: query.label,
      maxDepth: query.max_depth ?? 3,
      maxNodes: query.max_nodes ?? MAX_NODES,
    });
    return lightRagGraph(subgraph);
  }

  @Get('graph/label/list')
  @CheckPolicies(GraphPolicies.read)
  @ApiOperation({ summary: `Entity names, alphabetically (at most ${MAX_LIGHTRAG_LABELS})` })
  @ApiOkResponse({ description: 'An array of names' })
  async list(): Promise<string[]> {
    const names = await this.names('', MAX_LIGHTRAG_LABELS);
    return names.sort((a, b) => a.localeCompare(b));
  }

  @Get('graph/label/popular')
  @CheckPolicies(GraphPolicies.read)
  @ApiOperation({ summary: 'Entity names, best-connected first' })
  @ApiOkResponse({ description: 'An array of names' })
  popular(@Query() query: LightRagLabelsQuery): Promise<string[]> {
    return this.names('', query.limit ?? 300);
  }

  @Get('graph/label/search')
  @CheckPolicies(GraphPolicies.read)
  @ApiOperation({ summary: 'Entity names containing q, best-connected first' })
  @ApiOkResponse({ description: 'An array of names' })
  search(@Query() query: LightRagLabelSearchQuery): Promise<string[]> {
    return this.names(query.q, query.limit ?? 50);
  }

  @Get('graph/entity/exists')
  @CheckPolicies(GraphPolicies.read)
  @ApiOperation({ summary: 'Whether the KB holds an entity of this name' })
  @ApiOkResponse({ description: '`{exists}`' })
  async exists(@Query() query: LightRagEntityExistsQuery): Promise<{ exists: boolean }> {
    return { exists: await this.reads.exists(this.contexts.require().kbScope(), query.name) };
  }

  private async names(search: string, limit: number): Promise<string[]> {
    const { labels } = await this.reads.labels(this.contexts.require().kbScope(), search, limit);
    return labels.map((label) => label.name);
  }
}
