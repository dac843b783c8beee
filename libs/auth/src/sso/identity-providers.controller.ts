import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiDefaultResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import { ErrorResponse } from '@strata/core';
import {
  CreateIdentityProviderDto,
  IdentityProviderListResponse,
  IdentityProviderResponse,
  UpdateIdentityProviderDto,
} from './dto/identity-provider.dto';
import { IdentityProviderPolicies } from './identity-providers.policies';
import { IdentityProvidersService } from './identity-providers.service';

@ApiTags('identity-providers')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@AuditResource('identity_provider')
@Controller('identity-providers')
export class IdentityProvidersController {
  constructor(private readonly providers: IdentityProvidersService) {}

  @Get()
  @CheckPolicies(IdentityProviderPolicies.list)
  @ApiOperation({ summary: 'List the OpenID Connect providers people sign in through (platform admin)' })
  @ApiOkResponse({ type: IdentityProviderListResponse })
  async list(): Promise<IdentityProviderListResponse> {
    return { items: (await this.providers.list()).map(IdentityProviderResponse.from) };
  }

  @Post()
  @CheckPolicies(IdentityProviderPolicies.create)
  @ApiOperation({
    summary:
      'Add an OpenID Connect provider with its claim-to-membership rules (platform admin); the client secret is sealed and never shown again',
  })
  @ApiCreatedResponse({ type: IdentityProviderResponse })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED, UNKNOWN_TENANT, UNKNOWN_KNOWLEDGE_BASE, PERMISSION_OUTSIDE_ROLE',
  })
  @ApiConflictResponse({ description: 'IDENTITY_PROVIDER_SLUG_TAKEN' })
  async create(@Body() dto: CreateIdentityProviderDto): Promise<IdentityProviderResponse> {
    return IdentityProviderResponse.from(await this.providers.create(dto));
  }

  @Get(':providerId')
  @ApiParam({ name: 'providerId', format: 'uuid' })
  @CheckPolicies(IdentityProviderPolicies.read)
  @ApiOperation({ summary: 'One identity provider (platform admin)' })
  @ApiOkResponse({ type: IdentityProviderResponse })
  @ApiNotFoundResponse({ description: 'IDENTITY_PROVIDER_NOT_FOUND' })
  async get(@Param('providerId') id: string): Promise<IdentityProviderResponse> {
    return IdentityProviderResponse.from(await this.providers.get(id.toLowerCase()));
  }

  @Patch(':providerId')
  @ApiParam({ name: 'providerId', format: 'uuid' })
  @CheckPolicies(IdentityProviderPolicies.update)
  @ApiOperation({
    summary:
      'Change an identity provider (platform admin); new rules apply to each person at their next sign-in through it',
  })
  @ApiOkResponse({ type: IdentityProviderResponse })
  @ApiNotFoundResponse({ description: 'IDENTITY_PROVIDER_NOT_FOUND' })
  @ApiConflictResponse({ description: 'IDENTITY_PROVIDER_SLUG_TAKEN' })
  async update(
    @Param('providerId') id: string,
    @Body() dto: UpdateIdentityProviderDto,
  ): Promise<IdentityProviderResponse> {
    return IdentityProviderResponse.from(await this.providers.update(id.toLowerCase(), dto));
  }

  @Delete(':providerId')
  @HttpCode(204)
  @ApiParam({ name: 'providerId', format: 'uuid' })
  @CheckPolicies(IdentityProviderPolicies.delete)
  @ApiOperation({
    summary:
      'Remove an identity provider (platform admin): the memberships its rules granted go at once; the accounts stay',
  })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'IDENTITY_PROVIDER_NOT_FOUND' })
  async remove(@Param('providerId') id: string): Promise<void> {
    await this.providers.remove(id.toLowerCase());
  }
}
