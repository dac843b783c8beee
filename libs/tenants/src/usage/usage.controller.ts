import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiDefaultResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuditAction, AuditResource } from '@strata/audit';
import { CheckPolicies, subject } from '@strata/authz';
import { ErrorResponse } from '@strata/core';
import { TenantContextService } from '@strata/tenancy';
import { UsageQueryDto, UsageResponse } from './usage.dto';
import { UsageReport } from './usage-report.service';

@ApiTags('usage')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@ApiParam({ name: 'tenantId', description: 'Tenant uuid or slug' })
@AuditResource('usage')
@Controller('tenants/:tenantId/usage')
export class UsageController {
  constructor(
    private readonly usage: UsageReport,
    private readonly contexts: TenantContextService,
  ) {}

  @Get()
  @AuditAction('usage.read')
  @CheckPolicies((ability, context) => ability.can('read', subject('Usage', { tenantId: context?.tenantId })))
  @ApiOperation({
    summary: 'Counts and storage against quotas, and daily queries and tokens (tenant or platform admin)',
  })
  @ApiOkResponse({ type: UsageResponse })
  get(@Query() query: UsageQueryDto): Promise<UsageResponse> {
    return this.usage.get(this.contexts.require(), query.days ?? 30);
  }
}
