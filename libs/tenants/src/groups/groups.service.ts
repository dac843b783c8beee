import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@strata/audit';
import { ApiKeysService, UsersService } from '@strata/auth';
import { Conflict, ErrorCode, newId, NotFound, Page, toPage } from '@strata/core';
import { isUniqueViolation } from '@strata/storage';
import { MembershipsRepository, TenantScope } from '@strata/tenancy';
import { CreateGroupDto, GroupMemberResponse, GroupResponse, UpdateGroupDto } from './dto/group.dto';
import { GroupsRepository } from './groups.repository';

export type GroupMemberKind = 'user' | 'api_key';

const groupNotFound = () => new NotFound(ErrorCode.GROUP_NOT_FOUND, 'Group not found');
const nameTaken = () =>
  new Conflict(ErrorCode.GROUP_NAME_TAKEN, 'The tenant already has a group of this name');

/**
 * A tenant's groups of members and API keys: what document access lists name. Tenant admins
 * manage them; every change is audited in the transaction that makes it.
 */
@Injectable()
export class GroupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly memberships: MembershipsRepository,
    private readonly users: UsersService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async create(scope: TenantScope, dto: CreateGroupDto): Promise<GroupResponse> {
    const id = newId();
    const name = dto.name.trim();
    await this.uniquely(() =>
      this.dataSource.transaction(async (manager) => {
        await GroupsRepository.insert(manager, scope, { id, name, description: dto.description ?? '' });
        await this.record(manager, 'group.create', id, { name });
      }),
    );
    return this.get(scope, id);
  }

  async list(scope: TenantScope, afterId: string | null, limit: number): Promise<Page<GroupResponse>> {
    const rows = await GroupsRepository.page(this.dataSource, scope, afterId, limit + 1);
    return toPage(rows, limit, GroupResponse.from);
  }

  async get(scope: TenantScope, groupId: string): Promise<GroupResponse> {
    const row = await GroupsRepository.find(this.dataSource, scope, groupId);
    if (row === null) throw groupNotFound();
    return GroupResponse.from(row);
  }

  async update(scope: TenantScope, groupId: string, dto: UpdateGroupDto): Promise<GroupResponse> {
    const change = { name: dto.name?.trim(), description: dto.description };
    await this.uniquely(() =>
      this.dataSource.transaction(async (manager) => {
        if (!(await GroupsRepository.update(manager, scope, groupId, change))) throw groupNotFound();
        await this.record(manager, 'group.update', groupId, {
          fields: Object.keys(dto).filter((k) => dto[k as keyof UpdateGroupDto] !== undefined),
          ...(change.name !== undefined ? { name: change.name } : {}),
        });
      }),
    );
    return this.get(scope, groupId);
  }

  /** Deletes a group; documents restricted to it stay restricted (to their other entries, or to admins). */
  async delete(scope: TenantScope, groupId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const group = await GroupsRepository.find(manager, scope, groupId);
      if (group === null || !(await GroupsRepository.delete(manager, scope, groupId))) throw groupNotFound();
      await this.record(manager, 'group.delete', groupId, { name: group.name });
    });
  }

  async members(scope: TenantScope, groupId: string): Promise<GroupMemberResponse[]> {
    await this.get(scope, groupId);
    const rows = await GroupsRepository.members(this.dataSource, scope, groupId);
    const users = new Map(
      (await this.users.findByIds(rows.filter((r) => r.type === 'user').map((r) => r.id))).map((u) => [
        u.id,
        u.email,
      ]),
    );
    const keys = await this.apiKeys.findByIds(
      scope,
      rows.filter((r) => r.type === 'api_key').map((r) => r.id),
    );
    return rows.map((row) =>
      GroupMemberResponse.from(row, (row.type === 'user' ? users.get(row.id) : keys.get(row.id)?.name) ?? ''),
    );
  }

  /**
   * Puts a member of the tenant (a person) or one of its API keys into the group; idempotent.
   * Someone who is not a member, or a key of another tenant, is not found.
   */
  async addMember(scope: TenantScope, groupId: string, kind: GroupMemberKind, id: string): Promise<void> {
    await this.assertInTenant(scope, kind, id);
    await this.dataSource.transaction(async (manager) => {
      if ((await GroupsRepository.find(manager, scope, groupId)) === null) throw groupNotFound();
      if (await GroupsRepository.addMember(manager, scope, groupId, { type: kind, id })) {
        await this.record(manager, 'group.member_add', groupId, { member_type: kind, member_id: id });
      }
    });
  }

  /** Takes a member out of the group; 404 when it was not in it. */
  async removeMember(scope: TenantScope, groupId: string, kind: GroupMemberKind, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if ((await GroupsRepository.find(manager, scope, groupId)) === null) throw groupNotFound();
      if (!(await GroupsRepository.removeMember(manager, scope, groupId, { type: kind, id }))) {
        throw new NotFound(ErrorCode.GROUP_MEMBER_NOT_FOUND, 'Not a member of this group');
      }
      await this.record(manager, 'group.member_remove', groupId, { member_type: kind, member_id: id });
    });
  }

  private async assertInTenant(scope: TenantScope, kind: GroupMemberKind, id: string): Promise<void> {
    const found =
      kind === 'user'
        ? (await this.memberships.find(scope, id)) !== null
        : (await this.apiKeys.findByIds(scope, [id])).has(id);
    if (!found) throw notInTenant(kind);
  }

  private async uniquely(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken();
      throw error;
    }
  }

  private record(manager: EntityManager, action: string, groupId: string, details: Record<string, unknown>) {
    return this.audit.record(
      { action, outcome: 'success', resourceType: 'group', resourceId: groupId, details },
      manager,
    );
  }
}

const notInTenant = (kind: GroupMemberKind) =>
  kind === 'user'
    ? new NotFound(ErrorCode.MEMBER_NOT_FOUND, 'Member not found')
    : new NotFound(ErrorCode.API_KEY_NOT_FOUND, 'API key not found');
