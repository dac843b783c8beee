import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThan } from 'typeorm';
import { AuditService } from '@strata/audit';
import { localPasswordsDisabled, normaliseEmail, PasswordCheck, UsersService } from '@strata/auth';
import {
  AppConfig,
  BadRequest,
  Conflict,
  ErrorCode,
  newId,
  NotFound,
  Page,
  randomToken,
  sha256Hex,
  toPage,
} from '@strata/core';
import { isUniqueViolation } from '@strata/storage';
import {
  grantablePermissions,
  KnowledgeBaseLookup,
  MembershipsRepository,
  principalRef,
  resolveKnowledgeBaseRefs,
  TenantContext,
  TenantContextService,
  type TenantScope,
} from '@strata/tenancy';
import { Tenant } from '../entities/tenant.entity';
import { MembersService, memberExists } from '../members/members.service';
import {
  AcceptedInvitationResponse,
  AcceptInvitationDto,
  CreatedInvitationResponse,
  CreateInvitationDto,
  InvitationResponse,
} from './dto/invitation.dto';
import { Invitation, INVITATION_TTL_DAYS, invitationStatus } from './invitation.entity';

const invitationNotFound = () => new NotFound(ErrorCode.INVITATION_NOT_FOUND, 'Invitation not found');
// One answer for a token that never existed, was used, revoked or has expired.
const invalidInvitation = () =>
  new BadRequest(
    ErrorCode.INVALID_INVITATION,
    'This invitation cannot be accepted: it is unknown, already used, revoked or expired',
  );

/**
 * Invitations into a tenant. Inviting answers the same whether the email has an account or not,
 * and links nobody: the invitee accepts with the token, as a new account (choosing its password)
 * or as their existing one (proving it with its password).
 */
@Injectable()
export class InvitationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly passwords: PasswordCheck,
    private readonly members: MembersService,
    private readonly memberships: MembershipsRepository,
    private readonly knowledgeBases: KnowledgeBaseLookup,
    private readonly contexts: TenantContextService,
    private readonly audit: AuditService,
  ) {}

  async create(scope: TenantScope, dto: CreateInvitationDto): Promise<CreatedInvitationResponse> {
    const knowledgeBaseIds = await resolveKnowledgeBaseRefs(
      this.knowledgeBases,
      scope,
      dto.knowledge_base_ids,
    );
    const email = normaliseEmail(dto.email);
    // Only a member of this very tenant is refused, which its admins can list anyway.
    const user = await this.users.findByEmail(email);
    if (user !== null && (await this.memberships.find(scope, user.id)) !== null) throw memberExists();
    const token = `inv_${randomToken(32)}`;
    const now = new Date();
    const invitation: Invitation = {
      id: newId(),
      tenantId: scope.tenantId,
      email,
      role: dto.role,
      knowledgeBaseIds,
      permissions: grantablePermissions(dto.role, dto.permissions),
      tokenHash: sha256Hex(token),
      invitedBy: principalRef(this.contexts.require().principal),
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000),
      acceptedAt: null,
      acceptedUserId: null,
      revokedAt: null,
    };
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(Invitation).insert(invitation as never);
      await this.audit.record(
        {
          action: 'invitation.create',
          outcome: 'success',
          resourceType: 'invitation',
          resourceId: invitation.id,
          details: { email, role: dto.role },
        },
        manager,
      );
    });
    return { ...InvitationResponse.from(invitation), token };
  }

  async list(scope: TenantScope, afterId: string | null, limit: number): Promise<Page<InvitationResponse>> {
    const rows = await this.dataSource.getRepository(Invitation).find({
      where: { tenantId: scope.tenantId, ...(afterId ? { id: MoreThan(afterId) } : {}) },
      order: { id: 'ASC' },
      take: limit + 1,
    });
    return toPage(rows, limit, InvitationResponse.from);
  }

  async get(scope: TenantScope, id: string): Promise<InvitationResponse> {
    const invitation = await this.dataSource
      .getRepository(Invitation)
      .findOne({ where: { tenantId: scope.tenantId, id } });
    if (invitation === null) throw invitationNotFound();
    return InvitationResponse.from(invitation);
  }

  /** Revokes a pending invitation; one no longer pending cannot be revoked (409). */
  async revoke(scope: TenantScope, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(Invitation);
      const invitation = await repo.findOne({
        where: { tenantId: scope.tenantId, id },
        lock: { mode: 'pessimistic_write' },
      });
      if (invitation === null) throw invitationNotFound();
      const status = invitationStatus(invitation);
      if (status !== 'pending') {
        throw new Conflict(
          ErrorCode.INVALID_INVITATION,
          `The invitation is ${status}: only a pending one can be revoked`,
        );
      }
      await repo.update({ tenantId: scope.tenantId, id }, { revokedAt: new Date() });
      await this.audit.record(
        {
          action: 'invitation.revoke',
          outcome: 'success',
          resourceType: 'invitation',
          resourceId: id,
          details: { email: invitation.email },
        },
        manager,
      );
    });
  }

  /**
   * Accepts an invitation by its token: creates the account with the password when the email has
   * none, else checks the account's own password (throttled like a login), then makes it a member.
   */
  async accept(dto: AcceptInvitationDto, ip: string): Promise<AcceptedInvitationResponse> {
    // Accepting sets or proves a password: where passwords are off, people come in by single sign-on.
    if (!this.config.localPasswords) throw localPasswordsDisabled();
    try {
      return await this.dataSource.transaction(async (manager) => {
        const invitation = await manager.getRepository(Invitation).findOne({
          where: { tokenHash: sha256Hex(dto.token) },
          lock: { mode: 'pessimistic_write' },
        });
        if (invitation === null || invitationStatus(invitation) !== 'pending') throw invalidInvitation();
        const tenant = await manager.getRepository(Tenant).findOne({ where: { id: invitation.tenantId } });
        if (tenant === null || tenant.status === 'deleting') throw invalidInvitation();

        let user = await this.users.findByEmail(invitation.email, manager);
        const created = user === null;
        if (user === null) user = await this.users.create(invitation.email, dto.password, false, manager);
        else await this.passwords.verify(user, dto.password, ip);

        const context = TenantContext.forInvitee({
          tenantId: tenant.id,
          tenantSlug: tenant.slug,
          userId: user.id,
          email: user.email,
          invitationId: invitation.id,
        });
        const { enabled } = await this.members.link(
          context.scope(),
          user.id,
          {
            role: invitation.role,
            knowledgeBaseIds: invitation.knowledgeBaseIds,
            permissions: invitation.permissions,
          },
          manager,
        );
        await manager
          .getRepository(Invitation)
          .update({ id: invitation.id }, { acceptedAt: new Date(), acceptedUserId: user.id });
        await this.audit.record(
          {
            action: 'invitation.accept',
            outcome: 'success',
            tenantId: tenant.id,
            actor: { type: 'user', id: user.id },
            resourceType: 'member',
            resourceId: user.id,
            details: {
              invitation_id: invitation.id,
              role: invitation.role,
              new_user: created,
              ...(enabled ? { enabled_user: true } : {}),
            },
          },
          manager,
        );
        return { tenant_id: tenant.id, user_id: user.id, role: invitation.role, new_user: created };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw memberExists();
      throw error;
    }
  }
}
