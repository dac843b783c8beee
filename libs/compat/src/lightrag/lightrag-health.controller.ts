import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CheckPolicies } from '@strata/authz';
import { AppConfig } from '@strata/core';
import { DocumentPolicies, DocumentStatusReads } from '@strata/documents';
import { KB_PARAM, KnowledgeBasesService } from '@strata/knowledge-bases';
import { QueryService } from '@strata/query';
import { TENANT_PARAM } from '@strata/tenants';
import { TenantContextService } from '@strata/tenancy';
import { LightRagErrorFilter } from './lightrag-error.filter';

/**
 * LightRAG's `/health` for one KB, which its web UI and scripts call to check that the server
 * answers and the key works: `healthy`, where the KB's data is (its tenant and slug; there is no
 * input directory), what answers and embeds, and whether documents are being processed. The
 * process's own probes stay `/health/live` and `/health/ready`.
 */
@ApiTags('lightrag-compatible')
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@ApiParam(KB_PARAM)
@UseFilters(LightRagErrorFilter)
@Controller('tenants/:tenantId/knowledge-bases/:kbId/lightrag')
export class LightRagHealthController {
  constructor(
    private readonly kbs: KnowledgeBasesService,
    private readonly queries: QueryService,
    private readonly documents: DocumentStatusReads,
    private readonly contexts: TenantContextService,
    private readonly config: AppConfig,
  ) {}

  @Get('health')
  @CheckPolicies(DocumentPolicies.list)
  @ApiOperation({ summary: "The KB's status in LightRAG's /health shape (viewer and up)" })
  @ApiOkResponse({
    description:
      '`{status: healthy, working_directory, input_directory, configuration, auth_mode, pipeline_busy}`',
  })
  async health() {
    const context = this.contexts.require();
    const [kb, options, inFlight] = await Promise.all([
      this.kbs.get(context),
      this.queries.options(context),
      this.documents.inFlight(context.kbScope()),
    ]);
    const database = this.config.embedded ? 'PGlite (embedded PostgreSQL)' : 'PostgreSQL';
    return {
      status: 'healthy',
      working_directory: `${context.tenantSlug}/${kb.slug}`,
      input_directory: null,
      configuration: {
        workspace: kb.slug,
        answers_from: options.answers_from,
        default_mode: options.default_mode,
        llm_model: kb.config.llm.model,
        embedding_model: kb.config.embedding.model,
        kv_storage: database,
        doc_status_storage: database,
        vector_storage: this.config.vectors.kind === 'qdrant' ? 'Qdrant' : 'pgvector',
        graph_storage: this.config.graph.kind === 'neo4j' ? 'Neo4j' : database,
      },
      auth_mode: 'enabled',
      pipeline_busy: inFlight.documents + inFlight.graphs > 0,
      webui_title: kb.name,
      webui_description: kb.description,
    };
  }
}
