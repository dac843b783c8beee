import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
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
import { TENANT_PARAM } from '../tenants.controller';
import { CreateMemberDto, MemberPageResponse, MemberResponse, UpdateMemberDto } from './dto/member.dto';
import { MemberPolicies } from './members.policies';
import { MembersService } from './members.service';

const USER_PARAM = { name: 'userId', format: 'uuid', description: 'The member’s user id' } as const;

@ApiTags('members')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@AuditResource('member')
@Controller('tenants/:tenantId/members')
export class MembersController {
  constructor(
    private readonly members: MembersService,
    private readonly contexts: TenantContextService,
  ) {}

  @Post()
  @CheckPolicies(MemberPolicies.create)
  @ApiOperation({
    summary: 'Add a member directly: platform admins (tenant admins invite, see invitations)',
    description: 'Creates the user when the email is new (with the password given).',
  })
  @ApiCreatedResponse({ type: MemberResponse })
  create(@Body() dto: CreateMemberDto): Promise<MemberResponse> {
    return this.members.create(this.scope(), dto);
  }

  @Get()
  @CheckPolicies(MemberPolicies.list)
  @ApiOperation({ summary: 'List the tenant’s members' })
  @ApiOkResponse({ type: MemberPageResponse })
  list(@Query() page: PageQueryDto): Promise<Page<MemberResponse>> {
    return this.members.list(this.scope(), decodeCursor(page.cursor), page.limit ?? DEFAULT_PAGE_SIZE);
  }

  @Get(':userId')
  @ApiParam(USER_PARAM)
  @CheckPolicies(MemberPolicies.read)
  @ApiOperation({ summary: 'Read a member' })
  @ApiOkResponse({ type: MemberResponse })
  get(@Param('userId') userId: string): Promise<MemberResponse> {
    return this.members.get(this.scope(), userId.toLowerCase());
  }

  @Patch(':userId')
  @ApiParam(USER_PARAM)
  @CheckPolicies(MemberPolicies.update)
  @ApiOperation({ summary: 'Change a member’s role, KB assignment or permission flags' })
  @ApiOkResponse({ type: MemberResponse })
  update(@Param('userId') userId: string, @Body() dto: UpdateMemberDto): Promise<MemberResponse> {
    return this.members.update(this.scope(), userId.toLowerCase(), dto);
  }

  @Delete(':userId')
  @HttpCode(204)
  @ApiParam(USER_PARAM)
  @CheckPolicies(MemberPolicies.delete)
  @ApiOperation({ summary: 'Remove a member from the tenant (the user account stays)' })
  @ApiNoContentResponse()
  async remove(@Param('userId') userId: string): Promise<void> {
    await this.members.remove(this.scope(), userId.toLowerCase());
  }

  private scope() {
    return this.contexts.require().scope();
  }
}
