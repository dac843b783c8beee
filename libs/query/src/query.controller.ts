import { Body, Controller, Get, HttpCode, Logger, Post, Req, Res } from '@nestjs/common';
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
import { KB_PARAM } from '@strata/knowledge-bases';
import { CountsAsQuery, TENANT_PARAM } from '@strata/tenants';
import { TenantContextService } from '@strata/tenancy';
import { QueryDto, QueryOptionsResponse, QueryResponse } from './dto/query.dto';
import { QueryPolicies } from './query.policies';
import { QueryService } from './query.service';
import { ANSWER_STREAM_DESCRIPTION, sendAnswer } from './stream/answer-response';

@ApiTags('query')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@ApiParam(KB_PARAM)
@AuditResource('query')
@Controller('tenants/:tenantId/knowledge-bases/:kbId/query')
export class QueryController {
  private readonly logger = new Logger(QueryController.name);

  constructor(
    private readonly queries: QueryService,
    private readonly contexts: TenantContextService,
  ) {}

  @Get('options')
  @AuditAction('query.options')
  @CheckPolicies(QueryPolicies.run)
  @ApiOperation({
    summary: 'The modes this KB answers and where its answers come from (needs run_queries)',
    description: 'For a client choosing what to offer: `bypass` is listed only when the KB has an LLM.',
  })
  @ApiOkResponse({ type: QueryOptionsResponse })
  options(): Promise<QueryOptionsResponse> {
    return this.queries.options(this.contexts.require());
  }

  @Post()
  @HttpCode(200)
  @CountsAsQuery()
  @AuditAction('query.run')
  @CheckPolicies(QueryPolicies.run)
  @ApiOperation({
    summary: 'Ask the knowledge base a question (needs run_queries; counts against queries_per_minute)',
    description: ANSWER_STREAM_DESCRIPTION,
  })
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ type: QueryResponse })
  async run(@Body() dto: QueryDto, @Req() req: RequestWithId, @Res() res: Response): Promise<void> {
    const prepared = await this.queries.prepare(this.contexts.require(), dto);
    await sendAnswer(this.queries, prepared, { req, res, logger: this.logger });
  }
}
