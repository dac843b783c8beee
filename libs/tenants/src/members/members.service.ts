import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@strata/audit';
import { ApiKeysService, UsersService } from '@strata/auth';
import { BadRequest, Conflict, ErrorCode, NotFound, Page, toPage } from '@strata/core';
import { isUniqueViolation } from '@strata/storage';
import {
  DEFAULT_PERMISSIONS,
  grantablePermissions,
  KnowledgeBaseLookup,
  Membership,
  MembershipsRepository,
  resolveKnowledgeBaseRefs,
  TenantScope,
} from '@strata/tenancy';
import { TenantConfigService } from '../config/tenant-config.service';
import { CreateMemberDto, MemberResponse, UpdateMemberDto } from './dto/member.dto';

const memberNotFound = () => new NotFound(ErrorCode.MEMBER_NOT_FOUND, 'Member not found');

/** A tenant's members: their role, KB assignment and permission flags. */
@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly memberships: MembershipsRepository,
    private readonly users: UsersService,
    private readonly knowledgeBases: KnowledgeBaseLookup,
    private readonly audit: AuditService,
    private readonly apiKeys: ApiKeysService,
    private readonly tenantConfig: TenantConfigService,
  ) {}

  /**
   * Adds a member directly (platform admins; tenant admins invite instead): an email with no user
   * yet creates the user with the given password.
   */
  async create(scope: TenantScope, dto: CreateMemberDto): Promise<MemberResponse> {
    const knowledgeBaseIds = await resolveKnowledgeBaseRefs(
      this.knowledgeBases,
      scope,
      dto.knowledge_base_ids,
    );
    const permissions = grantablePermissions(dto.role, dto.permissions);
    try {
      return await this.dataSource.transaction(async (manager) => {
        let user = await this.users.findByEmail(dto.email, manager);
        const created = user === null;
        if (user === null) {
          if (dto.password === undefined) {
            throw new BadRequest(ErrorCode.PASSWORD_REQUIRED, 'password is required to create a new user');
          }
          user = await this.users.create(dto.email, dto.password, false, manager);
        }
        const { membership, enabled } = await this.link(
          scope,
          user.id,
          { role: dto.role, knowledgeBaseIds, permissions },
          manager,
        );
        await this.recordChange(manager, scope, 'member.create', user.id, {
          role: dto.role,
          new_user: created,
          ...(enabled ? { enabled_user: true } : {}),
        });
        return MemberResponse.from(membership, user.email);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw memberExists();
      throw error;
    }
  }

  /**
   * Makes a user a member with a grant, in the caller's transaction: 409 MEMBER_EXISTS when they
   * already are one. An account disabled when its last tenant was deleted is enabled again.
   */
  async link(
    scope: TenantScope,
    userId: string,
    grant: Pick<Membership, 'role' | 'knowledgeBaseIds' | 'permissions'>,
    manager: EntityManager,
  ): Promise<{ membership: Membership; enabled: boolean }> {
    if ((await this.memberships.find(scope, userId, manager)) !== null) throw memberExists();
    const membership = await this.memberships.save(scope, { userId, ...grant }, manager);
    return { membership, enabled: await this.users.enable(userId, manager) };
  }

  async list(scope: TenantScope, afterUserId: string | null, limit: number): Promise<Page<MemberResponse>> {
    const rows = await this.memberships.page(scope, afterUserId, limit + 1);
    const emails = new Map(
      (await this.users.findByIds(rows.map((m) => m.userId))).map((u) => [u.id, u.email]),
    );
    const page = toPage(
      rows.map((m) => ({ id: m.userId, membership: m })),
      limit,
      ({ membership }) => MemberResponse.from(membership, emails.get(membership.userId) ?? ''),
    );
    return page;
  }

  async get(scope: TenantScope, userId: string): Promise<MemberResponse> {
    const membership = await this.memberships.find(scope, userId);
    if (membership === null) throw memberNotFound();
    return this.toResponse(membership);
  }

  async update(scope: TenantScope, userId: string, dto: UpdateMemberDto): Promise<MemberResponse> {
    const knowledgeBaseIds =
      dto.knowledge_base_ids === undefined
        ? undefined
        : await resolveKnowledgeBaseRefs(this.knowledgeBases, scope, dto.knowledge_base_ids);
    const saved = await this.dataSource.transaction(async (manager) => {
      const membership = await this.lockMembers(scope, manager, userId);
      const role = dto.role ?? membership.role;
      if (membership.role === 'admin' && role !== 'admin') await this.assertNotLastAdmin(scope, manager);
      // A role change without explicit flags starts from the new role's defaults.
      const base = role === membership.role ? membership.permissions : DEFAULT_PERMISSIONS[role];
      membership.permissions = grantablePermissions(role, { ...base, ...(dto.permissions ?? {}) });
      membership.role = role;
      if (knowledgeBaseIds !== undefined) membership.knowledgeBaseIds = knowledgeBaseIds;
      const row = await this.memberships.save(scope, membership, manager);
      await this.recordChange(manager, scope, 'member.update', userId, { changed: Object.keys(dto), role });
      return row;
    });
    return this.toResponse(saved);
  }

  /**
   * Removes a member; the API keys they created stay (they belong to the tenant) unless the
   * tenant's `members.revoke_api_keys_on_removal` says to revoke them with the membership.
   */
  async remove(scope: TenantScope, userId: string): Promise<void> {
    const { members } = await this.tenantConfig.settings(scope);
    await this.dataSource.transaction(async (manager) => {
      const membership = await this.lockMembers(scope, manager, userId);
      if (membership.role === 'admin') await this.assertNotLastAdmin(scope, manager);
      await this.memberships.remove(scope, userId, manager);
      const revoked = members.revoke_api_keys_on_removal
        ? await this.apiKeys.revokeCreatedBy(scope, userId, manager)
        : 0;
      await this.recordChange(manager, scope, 'member.delete', userId, {
        role: membership.role,
        ...(members.revoke_api_keys_on_removal ? { api_keys_revoked: revoked } : {}),
      });
    });
  }

  /**
   * Locks the tenant's admin rows and the target row, so two concurrent demotions cannot both
   * pass the last-admin check.
   */
  private async lockMembers(scope: TenantScope, manager: EntityManager, userId: string): Promise<Membership> {
    const membership = await this.memberships.lockForRoleChange(scope, userId, manager);
    if (membership === null) throw memberNotFound();
    return membership;
  }

  private async assertNotLastAdmin(scope: TenantScope, manager: EntityManager): Promise<void> {
    if ((await this.memberships.countAdmins(scope, manager)) <= 1) {
      throw new Conflict(
        ErrorCode.LAST_TENANT_ADMIN,
        'A tenant keeps at least one admin; add another admin first',
      );
    }
  }

  /** A change to a member, on its tenant's chain (also when a platform route made it). */
  private recordChange(
    manager: EntityManager,
    scope: TenantScope,
    action: string,
    userId: string,
    details: Record<string, unknown>,
  ) {
    return this.audit.record(
      {
        action,
        outcome: 'success',
        tenantId: scope.tenantId,
        resourceType: 'member',
        resourceId: userId,
        details,
      },
      manager,
    );
  }

  private async toResponse(membership: Membership): Promise<MemberResponse> {
    const user = await this.users.findById(membership.userId);
    return MemberResponse.from(membership, user?.email ?? '');
  }
}

export const memberExists = () =>
  new Conflict(ErrorCode.MEMBER_EXISTS, 'This user is already a member of the tenant');
