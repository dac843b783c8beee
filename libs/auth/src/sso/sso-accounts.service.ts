import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, type AuditRecord } from '@strata/audit';
import { Conflict, DomainError, ErrorCode, newId } from '@strata/core';
import { isUniqueViolation } from '@strata/storage';
import {
  Membership,
  MembershipsRepository,
  PERMISSION_NAMES,
  SsoGroupGrants,
  TenantContext,
  TenantLookup,
  type TenantScope,
} from '@strata/tenancy';
import { SessionBinding, type SessionTenant } from '../login/session-binding';
import { User } from '../users/user.entity';
import { normaliseEmail } from '../users/users.service';
import type { IdentityProvider } from './identity-provider.entity';
import { grantsFromRules, type RuleGrant } from './membership-rules';
import { UserIdentity } from './user-identity.entity';

/** Who the identity provider says signed in, once its token checked out. */
export interface ExternalIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  /** The values of the provider's groups claim. */
  claimValues: string[];
}

/** A single sign-on that did not check out, in one shape for every way of signing in. */
export const ssoRejected = (message: string) => new DomainError(401, ErrorCode.SSO_REJECTED, message);

const accountDisabled = () =>
  new DomainError(403, ErrorCode.ACCOUNT_DISABLED, 'This account is disabled; ask an administrator');

/**
 * The Strata side of a single sign-on: the account of the provider's subject (made at the first
 * sign-in, or an existing one with the same verified email where the provider is trusted to link
 * them), and its memberships brought in line with the provider's rules: those the rules give are
 * granted or updated, those the provider granted earlier and the rules no longer give are
 * removed. Memberships granted in Strata itself are left as they are. One transaction; every
 * change audited (the account on the platform chain, memberships on their tenant's).
 */
@Injectable()
export class SsoAccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly memberships: MembershipsRepository,
    private readonly tenants: TenantLookup,
    private readonly audit: AuditService,
    private readonly binding: SessionBinding,
    private readonly groups: SsoGroupGrants,
  ) {}

  async signIn(provider: IdentityProvider, identity: ExternalIdentity, retry = true): Promise<User> {
    const grants = await this.liveGrants(provider, identity.claimValues);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const user = await this.account(manager, provider, identity);
        if (user.disabledAt !== null) throw accountDisabled();
        await this.applyGrants(manager, provider, user.id, grants);
        return user;
      });
    } catch (error) {
      // Two first sign-ins of one person at once: the second finds the account the first made.
      if (retry && isUniqueViolation(error)) return this.signIn(provider, identity, false);
      throw error;
    }
  }

  /** The tenant the signed-in person's session is bound to; one they are not in is SSO_REJECTED. */
  async bind(user: User, tenantRef: string | null): Promise<SessionTenant> {
    const bound = await this.binding.bind(user, tenantRef);
    if (bound === null) throw ssoRejected(`You are not a member of the tenant ${tenantRef}`);
    return bound;
  }

  /** A session started by single sign-on, in the audit trail (on the tenant it is bound to). */
  recordSignIn(method: 'oidc' | 'ldap', providerSlug: string, userId: string, tenantId: string | null) {
    return this.audit.record({
      action: 'auth.login',
      outcome: 'success',
      tenantId,
      actor: { type: 'user', id: userId },
      resourceType: 'user',
      resourceId: userId,
      details: { method, provider: providerSlug },
    });
  }

  /** A refused single sign-on, in the platform's audit chain, with its error code. */
  recordFailure(
    method: 'oidc' | 'ldap',
    providerSlug: string,
    code: string,
    details: Record<string, unknown>,
  ) {
    return this.audit.record({
      action: 'auth.login_failed',
      outcome: 'denied',
      tenantId: null,
      actor: { type: 'anonymous', id: null },
      details: { method, provider: providerSlug, ...details, code },
    });
  }

  /** The rules' grants, leaving out tenants that are gone or being deleted. */
  private async liveGrants(provider: IdentityProvider, values: string[]): Promise<RuleGrant[]> {
    const grants = [...grantsFromRules(provider.mappings, values).values()];
    const live = await Promise.all(
      grants.map(async (grant) => {
        const tenant = await this.tenants.findTenant({ id: grant.tenantId });
        return tenant !== null && tenant.status !== 'deleting';
      }),
    );
    return grants.filter((_, i) => live[i]);
  }

  private async account(
    manager: EntityManager,
    provider: IdentityProvider,
    identity: ExternalIdentity,
  ): Promise<User> {
    const identities = manager.getRepository(UserIdentity);
    const users = manager.getRepository(User);
    const now = new Date();
    const known = await identities.findOne({
      where: { providerId: provider.id, subject: identity.subject },
    });
    if (known !== null) {
      await identities.update(
        { providerId: provider.id, subject: identity.subject },
        { email: identity.email, claimValues: identity.claimValues, lastLoginAt: now },
      );
      return users.findOneOrFail({ where: { id: known.userId } });
    }
    if (identity.email === null) {
      throw ssoRejected(
        'The identity provider gave no email for this person; it must release the email claim',
      );
    }
    const email = normaliseEmail(identity.email);
    const existing = await users.findOne({ where: { email } });
    if (existing !== null && !(provider.linkVerifiedEmail && identity.emailVerified)) {
      throw new Conflict(
        ErrorCode.SSO_ACCOUNT_CONFLICT,
        'An account with this email exists and is not linked to this identity provider; ask an administrator',
      );
    }
    const user =
      existing ??
      (await users.save(
        users.create({ id: newId(), email, passwordHash: null, platformAdmin: false, disabledAt: null }),
      ));
    await identities.insert({
      providerId: provider.id,
      subject: identity.subject,
      userId: user.id,
      email: identity.email,
      claimValues: identity.claimValues,
      createdAt: now,
      lastLoginAt: now,
    });
    const record: AuditRecord = {
      action: existing ? 'user.sso_link' : 'user.sso_create',
      outcome: 'success',
      tenantId: null,
      actor: { type: 'user', id: user.id },
      resourceType: 'user',
      resourceId: user.id,
      details: { provider: provider.slug, subject: identity.subject },
    };
    await this.audit.record(record, manager);
    return user;
  }

  private async applyGrants(
    manager: EntityManager,
    provider: IdentityProvider,
    userId: string,
    grants: RuleGrant[],
  ): Promise<void> {
    const held = new Map((await this.memberships.lockForUser(userId, manager)).map((m) => [m.tenantId, m]));
    const records: AuditRecord[] = [];
    const note = (
      action: string,
      tenantId: string,
      details: Record<string, unknown> = {},
      resource = { type: 'member', id: userId },
    ) =>
      records.push({
        action,
        outcome: 'success',
        tenantId,
        actor: { type: 'system', id: `sso:${provider.slug}` },
        resourceType: resource.type,
        resourceId: resource.id,
        details: { provider: provider.slug, ...details },
      });
    for (const grant of grants) {
      const current = held.get(grant.tenantId);
      held.delete(grant.tenantId);
      // Granted in Strata (or by another provider): not this provider's to change.
      if (current !== undefined && current.grantedByProvider !== provider.id) continue;
      const scope = this.scopeOf(provider, grant.tenantId);
      if (current === undefined || !sameGrant(current, grant)) {
        await this.memberships.save(
          scope,
          {
            userId,
            role: grant.role,
            knowledgeBaseIds: grant.knowledgeBaseIds,
            permissions: grant.permissions,
            grantedByProvider: provider.id,
          },
          manager,
        );
        note(current === undefined ? 'member.sso_grant' : 'member.sso_update', grant.tenantId, {
          role: grant.role,
          ...(current !== undefined && current.role !== grant.role ? { previous_role: current.role } : {}),
        });
      }
      const groups = await this.groups.sync(manager, scope, {
        userId,
        providerId: provider.id,
        groupIds: grant.groupIds,
      });
      const member = { member_type: 'user', member_id: userId };
      for (const id of groups.added) note('group.member_add', grant.tenantId, member, { type: 'group', id });
      for (const id of groups.removed)
        note('group.member_remove', grant.tenantId, member, { type: 'group', id });
    }
    for (const stale of held.values()) {
      if (stale.grantedByProvider !== provider.id) continue;
      await this.memberships.remove(this.scopeOf(provider, stale.tenantId), userId, manager);
      note('member.sso_remove', stale.tenantId, { role: stale.role });
    }
    await this.audit.recordMany(records, manager);
  }

  private scopeOf(provider: IdentityProvider, tenantId: string): TenantScope {
    return TenantContext.forSsoGrant({ tenantId, providerSlug: provider.slug, requestId: 'sso' }).scope();
  }
}

function sameGrant(membership: Membership, grant: RuleGrant): boolean {
  const kbs = (ids: readonly string[] | null) => (ids === null ? null : [...ids].sort().join(','));
  return (
    membership.role === grant.role &&
    kbs(membership.knowledgeBaseIds) === kbs(grant.knowledgeBaseIds) &&
    PERMISSION_NAMES.every((name) => membership.permissions[name] === grant.permissions[name])
  );
}
