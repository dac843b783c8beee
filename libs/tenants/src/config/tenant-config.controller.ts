import { Body, Controller, Get, Patch } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiDefaultResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuditAction, AuditResource } from '@strata/audit';
import { CheckPolicies, inRequestTenant } from '@strata/authz';
import { ErrorResponse } from '@strata/core';
import { TenantContextService } from '@strata/tenancy';
import { TenantConfigResponse, UpdateTenantConfigDto } from './dto/tenant-config.dto';
import { TenantConfigService } from './tenant-config.service';

const onConfig = inRequestTenant('TenantConfig');

@ApiTags('tenant-config')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@ApiParam({ name: 'tenantId', description: 'Tenant uuid or slug' })
@AuditResource('tenant_config')
@Controller('tenants/:tenantId/config')
export class TenantConfigController {
  constructor(
    private readonly tenantConfig: TenantConfigService,
    private readonly contexts: TenantContextService,
  ) {}

  @Get()
  @AuditAction('tenant_config.read')
  @CheckPolicies(onConfig('read'))
  @ApiOperation({
    summary: 'LLM, embedding and rerank provider settings (tenant admin); secrets show as "***"',
  })
  @ApiOkResponse({ type: TenantConfigResponse })
  get(): Promise<TenantConfigResponse> {
    return this.tenantConfig.get(this.contexts.require().scope());
  }

  @Patch()
  @CheckPolicies(onConfig('update'))
  @ApiOperation({
    summary: 'Change provider settings; api_key is write-only and stored encrypted (AES-256-GCM)',
  })
  @ApiOkResponse({ type: TenantConfigResponse })
  update(@Body() dto: UpdateTenantConfigDto): Promise<TenantConfigResponse> {
    return this.tenantConfig.update(this.contexts.require().scope(), dto);
  }
}
