import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiDefaultResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import { decodeCursor, DEFAULT_PAGE_SIZE, ErrorResponse, Page, PageQueryDto } from '@strata/core';
import { TenantContextService } from '@strata/tenancy';
import { TENANT_PARAM } from '../tenants.controller';
import {
  CreatedInvitationResponse,
  CreateInvitationDto,
  InvitationPageResponse,
  InvitationResponse,
} from './dto/invitation.dto';
import { InvitationPolicies } from './invitations.policies';
import { InvitationsService } from './invitations.service';

const INVITATION_PARAM = { name: 'invitationId', format: 'uuid', description: 'The invitation id' } as const;

@ApiTags('invitations')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@AuditResource('invitation')
@Controller('tenants/:tenantId/invitations')
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly contexts: TenantContextService,
  ) {}

  @Post()
  @CheckPolicies(InvitationPolicies.create)
  @ApiOperation({
    summary: 'Invite an email into the tenant with a role, KB assignment and flags',
    description:
      'The same answer whether or not the email has an account; nobody is added until the invitee accepts with the token, which is shown once.',
  })
  @ApiCreatedResponse({ type: CreatedInvitationResponse })
  create(@Body() dto: CreateInvitationDto): Promise<CreatedInvitationResponse> {
    return this.invitations.create(this.scope(), dto);
  }

  @Get()
  @CheckPolicies(InvitationPolicies.list)
  @ApiOperation({ summary: 'List the tenant’s invitations, oldest first (never their tokens)' })
  @ApiOkResponse({ type: InvitationPageResponse })
  list(@Query() page: PageQueryDto): Promise<Page<InvitationResponse>> {
    return this.invitations.list(this.scope(), decodeCursor(page.cursor), page.limit ?? DEFAULT_PAGE_SIZE);
  }

  @Get(':invitationId')
  @ApiParam(INVITATION_PARAM)
  @CheckPolicies(InvitationPolicies.read)
  @ApiOperation({ summary: 'Read an invitation' })
  @ApiOkResponse({ type: InvitationResponse })
  get(@Param('invitationId') id: string): Promise<InvitationResponse> {
    return this.invitations.get(this.scope(), id.toLowerCase());
  }

  @Delete(':invitationId')
  @HttpCode(204)
  @ApiParam(INVITATION_PARAM)
  @CheckPolicies(InvitationPolicies.delete)
  @ApiOperation({ summary: 'Revoke a pending invitation' })
  @ApiNoContentResponse()
  async revoke(@Param('invitationId') id: string): Promise<void> {
    await this.invitations.revoke(this.scope(), id.toLowerCase());
  }

  private scope() {
    return this.contexts.require().scope();
  }
}
