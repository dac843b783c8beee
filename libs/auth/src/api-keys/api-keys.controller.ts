import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiDefaultResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { AuditAction, AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import { decodeCursor, DEFAULT_PAGE_SIZE, ErrorResponse, Page, PageQueryDto } from '@strata/core';
import { TenantContextService } from '@strata/tenancy';
import { ApiKeyPolicies } from './api-keys.policies';
import { ApiKeysService } from './api-keys.service';
import {
  ApiKeyPageResponse,
  ApiKeyResponse,
  CreateApiKeyDto,
  CreatedApiKeyResponse,
  RotateApiKeyDto,
  RotatedApiKeyResponse,
} from './dto/api-key.dto';

@ApiTags('api-keys')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiParam({ name: 'tenantId', description: 'Tenant uuid or slug' })
@AuditResource('api_key')
@Controller('tenants/:tenantId/api-keys')
export class ApiKeysController {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly contexts: TenantContextService,
  ) {}

  @Post()
  @CheckPolicies(ApiKeyPolicies.create)
  @ApiOperation({ summary: 'Issue an API key (tenant admin); the full key is returned only here' })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  create(@Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    return this.apiKeys.create(this.contexts.require(), dto);
  }

  @Get()
  @CheckPolicies(ApiKeyPolicies.list)
  @ApiOperation({ summary: 'List the tenant’s API keys (never their secrets)' })
  @ApiOkResponse({ type: ApiKeyPageResponse })
  list(@Query() page: PageQueryDto): Promise<Page<ApiKeyResponse>> {
    return this.apiKeys.list(
      this.contexts.require().scope(),
      decodeCursor(page.cursor),
      page.limit ?? DEFAULT_PAGE_SIZE,
    );
  }

  @Delete(':keyId')
  @AuditAction('api_key.revoke')
  @ApiParam({ name: 'keyId', format: 'uuid' })
  @CheckPolicies(ApiKeyPolicies.delete)
  @ApiOperation({ summary: 'Revoke an API key at once' })
  @ApiOkResponse({ type: ApiKeyResponse })
  revoke(@Param('keyId') keyId: string): Promise<ApiKeyResponse> {
    return this.apiKeys.revoke(this.contexts.require().scope(), keyId.toLowerCase());
  }

  @Post(':keyId/rotate')
  @AuditAction('api_key.rotate')
  @ApiParam({ name: 'keyId', format: 'uuid' })
  @CheckPolicies(ApiKeyPolicies.create)
  @ApiOperation({
    summary:
      'Rotate an API key: a new secret with the same grants, the old one working for a grace period (default 24 h)',
  })
  @ApiCreatedResponse({ type: RotatedApiKeyResponse })
  @ApiConflictResponse({ description: 'API_KEY_NOT_ACTIVE: revoked or expired' })
  rotate(@Param('keyId') keyId: string, @Body() dto: RotateApiKeyDto): Promise<RotatedApiKeyResponse> {
    return this.apiKeys.rotate(this.contexts.require(), keyId.toLowerCase(), dto.grace_seconds ?? 86_400);
  }
}
