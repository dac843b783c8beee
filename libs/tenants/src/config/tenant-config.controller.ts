import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
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
import {
  ProviderTestDto,
  ProviderTestResponse,
  TenantConfigResponse,
  UpdateTenantConfigDto,
} from './dto/tenant-config.dto';
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

  @Post('test')
  @HttpCode(200)
  @AuditAction('tenant_config.test')
  @CheckPolicies(onConfig('update'))
  @ApiOperation({
    summary: 'Call one provider once with the saved settings and report the outcome (tenant admin)',
    description:
      'A failed call answers 200 with ok false, its failure kind and a message without credentials; ' +
      'nothing configured answers configured false (the embedded default is in use). Audited.',
  })
  @ApiOkResponse({ type: ProviderTestResponse })
  test(@Body() dto: ProviderTestDto): Promise<ProviderTestResponse> {
    return this.tenantConfig.testProvider(this.contexts.require().scope(), dto.provider);
  }
}
