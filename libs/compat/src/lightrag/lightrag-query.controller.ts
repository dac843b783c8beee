import { Body, Controller, HttpCode, Logger, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditAction, AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import type { RequestWithId } from '@strata/core';
import { KB_PARAM } from '@strata/knowledge-bases';
import { NdjsonStream, QueryPolicies, QueryService, streamAnswer } from '@strata/query';
import { CountsAsQuery, TENANT_PARAM } from '@strata/tenants';
import { TenantContextService } from '@strata/tenancy';
import { LightRagQueryDto } from './dto/lightrag-query.dto';
import { lightRagErrorBody, LightRagErrorFilter } from './lightrag-error.filter';
import { lightRagData, lightRagReferences, lightRagResponseText, strataQuery } from './lightrag-query';

/**
 * LightRAG's query routes over one KB, for scripts written against a LightRAG server: its request
 * fields, its response shapes and its NDJSON stream, with Strata's credentials (an API key in
 * `X-API-Key` works as LightRAG's does), policies, quotas and audit.
 */
@ApiTags('lightrag-compatible')
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@ApiParam(KB_PARAM)
@AuditResource('query')
@UseFilters(LightRagErrorFilter)
@Controller('tenants/:tenantId/knowledge-bases/:kbId/lightrag/query')
export class LightRagQueryController {
  private readonly logger = new Logger(LightRagQueryController.name);

  constructor(
    private readonly queries: QueryService,
    private readonly contexts: TenantContextService,
  ) {}

  @Post()
  @HttpCode(200)
  @CountsAsQuery()
  @AuditAction('query.run')
  @CheckPolicies(QueryPolicies.run)
  @ApiOperation({ summary: "Ask the KB in LightRAG's shape: `{response, references}`" })
  @ApiOkResponse({
    description: '`{response, references: [{reference_id, file_path, document_id, content?}] | null}`',
  })
  async query(@Body() dto: LightRagQueryDto) {
    const prepared = await this.queries.prepare(this.contexts.require(), await strataQuery(dto));
    const answer = await this.queries.answer(prepared);
    return { response: lightRagResponseText(answer), references: lightRagReferences(prepared, dto) };
  }

  @Post('stream')
  @HttpCode(200)
  @CountsAsQuery()
  @AuditAction('query.run')
  @CheckPolicies(QueryPolicies.run)
  @ApiOperation({
    summary: "Ask the KB in LightRAG's stream shape: NDJSON",
    description:
      'A line `{references}` first (unless include_references is false), then `{response}` lines with pieces of the answer; with `stream: false`, or only_need_context/only_need_prompt, one line `{references, response}`. An error after the stream opened comes as a line `{"error": …}`.',
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'NDJSON lines' })
  async stream(
    @Body() dto: LightRagQueryDto,
    @Req() req: RequestWithId,
    @Res() res: Response,
  ): Promise<void> {
    const query = await strataQuery(dto);
    const prepared = await this.queries.prepare(this.contexts.require(), query);
    const references = lightRagReferences(prepared, dto);
    const whole = dto.stream === false || query.only_need_context === true || query.only_need_prompt === true;
    const lines = new NdjsonStream(res);
    if (!whole && references !== null) lines.line({ references });
    await streamAnswer(
      this.queries,
      prepared,
      {
        signal: lines.signal,
        delta: (text) => {
          if (!whole) lines.line({ response: text });
        },
        done: (answer) => {
          if (whole)
            lines.line({
              ...(references !== null ? { references } : {}),
              response: lightRagResponseText(answer),
            });
        },
        failed: ({ code, message }) =>
          lines.line({ error: message, ...lightRagErrorBody(message, code, req.id ?? null) }),
        end: () => lines.end(),
      },
      this.logger,
      req.id ?? null,
    );
  }

  @Post('data')
  @HttpCode(200)
  @CountsAsQuery()
  @AuditAction('query.run')
  @CheckPolicies(QueryPolicies.run)
  @ApiOperation({
    summary: "What retrieval finds, in LightRAG's `/query/data` shape (no LLM answer)",
    description:
      '`{status, message, data: {entities, relationships, chunks, references}, metadata: {query_mode, keywords, processing_info}}`',
  })
  @ApiOkResponse({ description: 'The retrieved entities, relationships, chunks and references' })
  async data(@Body() dto: LightRagQueryDto) {
    const query = await strataQuery({ ...dto, only_need_context: true, only_need_prompt: false });
    const prepared = await this.queries.prepare(this.contexts.require(), query);
    const answer = await this.queries.answer(prepared);
    return lightRagData(prepared, answer, dto);
  }
}
