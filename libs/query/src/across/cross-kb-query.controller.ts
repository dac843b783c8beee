import { Body, Controller, HttpCode, Logger, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiDefaultResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditAction, AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import { ErrorResponse, type RequestWithId } from '@strata/core';
import { CountsAsQuery, TENANT_PARAM } from '@strata/tenants';
import { TenantContextService } from '@strata/tenancy';
import { QueryResponse } from '../dto/query.dto';
import { QueryPolicies } from '../query.policies';
import { QueryService } from '../query.service';
import { ANSWER_STREAM_DESCRIPTION, sendAnswer } from '../stream/answer-response';
import { CrossKbQueryDto } from './cross-kb-query.dto';
import { KnowledgeBaseSet } from './knowledge-base-set';

@ApiTags('query')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@AuditResource('query')
@Controller('tenants/:tenantId/query')
export class CrossKbQueryController {
  private readonly logger = new Logger(CrossKbQueryController.name);

  constructor(
    private readonly queries: QueryService,
    private readonly knowledgeBases: KnowledgeBaseSet,
    private readonly contexts: TenantContextService,
  ) {}

  @Post()
  @HttpCode(200)
  @CountsAsQuery()
  @AuditAction('query.run')
  @CheckPolicies(QueryPolicies.runAcross)
  @ApiOperation({
    summary: 'Ask several knowledge bases one question (needs run_queries in each)',
    description:
      'Full text ranks the KBs as one collection (their BM25 statistics pooled); vectors are searched ' +
      'in each KB’s own space and fused by rank, never by score; each reference names its KB. Graph ' +
      'modes walk each KB’s graph. Counts as one query. ' +
      ANSWER_STREAM_DESCRIPTION,
  })
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ type: QueryResponse })
  async run(@Body() dto: CrossKbQueryDto, @Req() req: RequestWithId, @Res() res: Response): Promise<void> {
    const { knowledge_base_ids: refs, ...question } = dto;
    const context = this.contexts.require();
    const scopes = await this.knowledgeBases.resolve(context, refs);
    const prepared = await this.queries.prepareOver(context, scopes, question);
    await sendAnswer(this.queries, prepared, { req, res, logger: this.logger });
  }
}
