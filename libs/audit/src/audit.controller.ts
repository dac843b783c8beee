import { Controller, Get, Query, Res } from '@nestjs/common';
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
import { CheckPolicies, subject } from '@strata/authz';
import { decodeCursor, DEFAULT_PAGE_SIZE, ErrorResponse } from '@strata/core';
import { TenantContextService } from '@strata/tenancy';
import { AuditQueryService } from './audit-query.service';
import { AuditResource } from './audit.decorators';
import { AuditPageResponse, AuditQueryDto } from './dto/audit.dto';

@ApiTags('audit')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@ApiParam({ name: 'tenantId', description: 'Tenant uuid or slug' })
@AuditResource('audit')
@Controller('tenants/:tenantId/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditQueryService,
    private readonly contexts: TenantContextService,
  ) {}

  @Get()
  @CheckPolicies((ability, context) => ability.can('read', subject('Audit', { tenantId: context?.tenantId })))
  @ApiOperation({ summary: 'The tenant’s audit events (tenant admin); format=ndjson exports all matches' })
  @ApiProduces('application/json', 'application/x-ndjson')
  @ApiOkResponse({ type: AuditPageResponse })
  async list(@Query() query: AuditQueryDto, @Res() res: Response): Promise<void> {
    const scope = this.contexts.require().scope();
    const { format, cursor, limit, ...filter } = query;
    if (format !== 'ndjson') {
      res.json(await this.audit.page(scope, filter, decodeCursor(cursor), limit ?? DEFAULT_PAGE_SIZE));
      return;
    }
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="audit.ndjson"');
    for await (const event of this.audit.all(scope, filter)) {
      if (!res.write(`${JSON.stringify(event)}\n`)) await new Promise((resume) => res.once('drain', resume));
    }
    res.end();
  }
}
