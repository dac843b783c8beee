import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
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
import { TenantContextService, TenantScope } from '@strata/tenancy';
import { TENANT_PARAM } from '../tenants.controller';
import {
  CreateGroupDto,
  GroupMembersResponse,
  GroupPageResponse,
  GroupResponse,
  UpdateGroupDto,
} from './dto/group.dto';
import { GroupPolicies } from './groups.policies';
import { GroupMemberKind, GroupsService } from './groups.service';

const GROUP_PARAM = { name: 'groupId', format: 'uuid', description: 'The group id' } as const;
const USER_PARAM = { name: 'userId', format: 'uuid', description: 'A member’s user id' } as const;
const KEY_PARAM = { name: 'keyId', format: 'uuid', description: 'One of the tenant’s API key ids' } as const;

@ApiTags('groups')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@AuditResource('group')
@Controller('tenants/:tenantId/groups')
export class GroupsController {
  constructor(
    private readonly groups: GroupsService,
    private readonly contexts: TenantContextService,
  ) {}

  @Post()
  @CheckPolicies(GroupPolicies.create)
  @ApiOperation({
    summary: 'Create a group of members and API keys, for document access lists (tenant admin)',
  })
  @ApiCreatedResponse({ type: GroupResponse })
  create(@Body() dto: CreateGroupDto): Promise<GroupResponse> {
    return this.groups.create(this.scope(), dto);
  }

  @Get()
  @CheckPolicies(GroupPolicies.list)
  @ApiOperation({
    summary: 'List the tenant’s groups, oldest first (editors and up, who name them in access lists)',
  })
  @ApiOkResponse({ type: GroupPageResponse })
  list(@Query() page: PageQueryDto): Promise<Page<GroupResponse>> {
    return this.groups.list(this.scope(), decodeCursor(page.cursor), page.limit ?? DEFAULT_PAGE_SIZE);
  }

  @Get(':groupId')
  @ApiParam(GROUP_PARAM)
  @CheckPolicies(GroupPolicies.read)
  @ApiOperation({ summary: 'Read a group' })
  @ApiOkResponse({ type: GroupResponse })
  get(@Param('groupId') groupId: string): Promise<GroupResponse> {
    return this.groups.get(this.scope(), groupId);
  }

  @Patch(':groupId')
  @ApiParam(GROUP_PARAM)
  @CheckPolicies(GroupPolicies.update)
  @ApiOperation({ summary: 'Rename a group or change its description (tenant admin)' })
  @ApiOkResponse({ type: GroupResponse })
  update(@Param('groupId') groupId: string, @Body() dto: UpdateGroupDto): Promise<GroupResponse> {
    return this.groups.update(this.scope(), groupId, dto);
  }

  @Delete(':groupId')
  @HttpCode(204)
  @ApiParam(GROUP_PARAM)
  @CheckPolicies(GroupPolicies.delete)
  @ApiOperation({
    summary: 'Delete a group (tenant admin)',
    description:
      'Documents whose access list named it no longer do; one it leaves with an empty list stays restricted, to tenant admins.',
  })
  @ApiNoContentResponse()
  async delete(@Param('groupId') groupId: string): Promise<void> {
    await this.groups.delete(this.scope(), groupId);
  }

  @Get(':groupId/members')
  @ApiParam(GROUP_PARAM)
  @CheckPolicies(GroupPolicies.read)
  @ApiOperation({ summary: 'The group’s members: people (with their email) and API keys (with their name)' })
  @ApiOkResponse({ type: GroupMembersResponse })
  async members(@Param('groupId') groupId: string): Promise<GroupMembersResponse> {
    return { items: await this.groups.members(this.scope(), groupId) };
  }

  @Put(':groupId/users/:userId')
  @HttpCode(204)
  @ApiParam(GROUP_PARAM)
  @ApiParam(USER_PARAM)
  @CheckPolicies(GroupPolicies.update)
  @ApiOperation({ summary: 'Put a member of the tenant into the group (idempotent; tenant admin)' })
  @ApiNoContentResponse()
  addUser(@Param('groupId') groupId: string, @Param('userId') userId: string): Promise<void> {
    return this.add(groupId, 'user', userId);
  }

  @Delete(':groupId/users/:userId')
  @HttpCode(204)
  @ApiParam(GROUP_PARAM)
  @ApiParam(USER_PARAM)
  @CheckPolicies(GroupPolicies.update)
  @ApiOperation({ summary: 'Take a member out of the group (tenant admin)' })
  @ApiNoContentResponse()
  removeUser(@Param('groupId') groupId: string, @Param('userId') userId: string): Promise<void> {
    return this.remove(groupId, 'user', userId);
  }

  @Put(':groupId/api-keys/:keyId')
  @HttpCode(204)
  @ApiParam(GROUP_PARAM)
  @ApiParam(KEY_PARAM)
  @CheckPolicies(GroupPolicies.update)
  @ApiOperation({
    summary: 'Put one of the tenant’s API keys into the group (idempotent; tenant admin)',
    description: 'A key rotated later passes its groups on to its successor.',
  })
  @ApiNoContentResponse()
  addKey(@Param('groupId') groupId: string, @Param('keyId') keyId: string): Promise<void> {
    return this.add(groupId, 'api_key', keyId);
  }

  @Delete(':groupId/api-keys/:keyId')
  @HttpCode(204)
  @ApiParam(GROUP_PARAM)
  @ApiParam(KEY_PARAM)
  @CheckPolicies(GroupPolicies.update)
  @ApiOperation({ summary: 'Take an API key out of the group (tenant admin)' })
  @ApiNoContentResponse()
  removeKey(@Param('groupId') groupId: string, @Param('keyId') keyId: string): Promise<void> {
    return this.remove(groupId, 'api_key', keyId);
  }

  private add(groupId: string, kind: GroupMemberKind, id: string): Promise<void> {
    return this.groups.addMember(this.scope(), groupId.toLowerCase(), kind, id.toLowerCase());
  }

  private remove(groupId: string, kind: GroupMemberKind, id: string): Promise<void> {
    return this.groups.removeMember(this.scope(), groupId.toLowerCase(), kind, id.toLowerCase());
  }

  private scope(): TenantScope {
    return this.contexts.require().scope();
  }
}
