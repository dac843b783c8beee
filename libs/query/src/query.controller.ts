import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiDefaultResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuditAction, AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import { ErrorResponse } from '@strata/core';
import { KB_PARAM } from '@strata/knowledge-bases';
import { CountsAsQuery, TENANT_PARAM } from '@strata/tenants';
import { TenantContextService } from '@strata/tenancy';
import { QueryDto, QueryResponse } from './dto/query.dto';
import { QueryPolicies } from './query.policies';
import { QueryService } from './query.service';

@ApiTags('query')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@ApiParam(KB_PARAM)
@AuditResource('query')
@Controller('tenants/:tenantId/knowledge-bases/:kbId/query')
export class QueryController {
  constructor(
    private readonly queries: QueryService,
    private readonly contexts: TenantContextService,
  ) {}

  @Post()
  @HttpCode(200)
  @CountsAsQuery()
  @AuditAction('query.run')
  @CheckPolicies(QueryPolicies.run)
  @ApiOperation({
    summary: 'Ask the knowledge base a question (needs run_queries; counts against queries_per_minute)',
  })
  @ApiOkResponse({ type: QueryResponse })
  run(@Body() dto: QueryDto): Promise<QueryResponse> {
    return this.queries.run(this.contexts.require(), dto);
  }
}
