import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiDefaultResponse,
} from '@nestjs/swagger';
import { AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, PageQueryDto, ErrorResponse } from '@strata/core';
import { TenantContextService } from '@strata/tenancy';
import { CreateTenantDto, TenantPageResponse, TenantResponse, UpdateTenantDto } from './dto/tenant.dto';
import { TenantPolicies } from './tenants.policies';
import { TenantsService } from './tenants.service';

export const TENANT_PARAM = { name: 'tenantId', description: 'Tenant uuid or slug' } as const;

@ApiTags('tenants')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@AuditResource('tenant')
@Controller('tenants')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly contexts: TenantContextService,
  ) {}

  @Post()
  @CheckPolicies(TenantPolicies.create)
  @ApiOperation({ summary: 'Create a tenant (platform admin)' })
  @ApiCreatedResponse({ type: TenantResponse })
  create(@Body() dto: CreateTenantDto): Promise<TenantResponse> {
    return this.tenants.create(dto);
  }

  @Get()
  @CheckPolicies(TenantPolicies.list)
  @ApiOperation({ summary: 'List tenants: all for a platform admin, else the caller’s own' })
  @ApiOkResponse({ type: TenantPageResponse })
  list(@Query() page: PageQueryDto): Promise<Page<TenantResponse>> {
    return this.tenants.list(
      this.contexts.principal()!,
      decodeCursor(page.cursor),
      page.limit ?? DEFAULT_PAGE_SIZE,
    );
  }

  @Get(':tenantId')
  @ApiParam(TENANT_PARAM)
  @CheckPolicies(TenantPolicies.read)
  @ApiOperation({ summary: 'Read a tenant' })
  @ApiOkResponse({ type: TenantResponse })
  get(): Promise<TenantResponse> {
    return this.tenants.get(this.contexts.require().scope());
  }

  @Patch(':tenantId')
  @ApiParam(TENANT_PARAM)
  @CheckPolicies(TenantPolicies.update)
  @ApiOperation({ summary: 'Rename, suspend/reactivate or change the quotas of a tenant (platform admin)' })
  @ApiOkResponse({ type: TenantResponse })
  update(@Body() dto: UpdateTenantDto): Promise<TenantResponse> {
    return this.tenants.update(this.contexts.require().scope(), dto);
  }

  @Delete(':tenantId')
  @HttpCode(204)
  @ApiParam(TENANT_PARAM)
  @CheckPolicies(TenantPolicies.delete)
  @ApiOperation({ summary: 'Delete a tenant and everything it owns (platform admin)' })
  @ApiNoContentResponse()
  async delete(): Promise<void> {
    await this.tenants.delete(this.contexts.require().scope());
  }
}
