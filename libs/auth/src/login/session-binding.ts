import { Injectable } from '@nestjs/common';
import { parseIdOrSlug } from '@strata/core';
import { Membership, MembershipsRepository, TenantLookup } from '@strata/tenancy';
import type { User } from '../users/user.entity';

/** The tenant a new session is bound to, and the membership its tokens carry. */
export interface SessionTenant {
  tenantId: string | null;
  membership: Membership | null;
}

/** Decides which tenant a sign-in's session is bound to, whatever the way of signing in. */
@Injectable()
export class SessionBinding {
  constructor(
    private readonly memberships: MembershipsRepository,
    private readonly tenants: TenantLookup,
  ) {}

  /**
   * The tenant asked for (the user must be a member, or a platform admin), else the user's only
   * membership, else none. null = not allowed.
   */
  async bind(user: User, tenantRef: string | null | undefined): Promise<SessionTenant | null> {
    if (tenantRef === undefined || tenantRef === null) {
      const memberships = await this.memberships.listForUser(user.id);
      if (memberships.length === 1 && !user.platformAdmin) {
        return { tenantId: memberships[0].tenantId, membership: memberships[0] };
      }
      return { tenantId: null, membership: null };
    }
    const ref = parseIdOrSlug(tenantRef);
    const tenant = ref && (await this.tenants.findTenant(ref));
    if (!tenant || tenant.status === 'deleting') return null;
    const membership = await this.memberships.findForResolution(tenant.id, user.id);
    if (membership === null && !user.platformAdmin) return null;
    return { tenantId: tenant.id, membership };
  }
}
