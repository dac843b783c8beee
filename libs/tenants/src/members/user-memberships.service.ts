import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AuditService } from '@strata/audit';
import { UsersService } from '@strata/auth';
import { Conflict, ErrorCode, NotFound } from '@strata/core';
import { MembershipsRepository, TenantContext, TenantContextService } from '@strata/tenancy';
import { Tenant } from '../entities/tenant.entity';
import { MembersService } from './members.service';

/** A person's memberships across tenants, as a platform admin removes them all at once. */
@Injectable()
export class UserMembershipsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly memberships: MembershipsRepository,
    private readonly members: MembersService,
    private readonly users: UsersService,
    private readonly contexts: TenantContextService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Removes the user from every tenant they belong to, each removal as a tenant admin's would be
   * (its tenant's audit chain, and its API keys as the tenant's setting says). Refused up front,
   * removing nothing, when they are the only admin of a tenant (409 LAST_TENANT_ADMIN naming it).
   * The account stays (disable it to stop its sign-ins). Answers the tenants left.
   */
  async removeEverywhere(userId: string): Promise<string[]> {
    if ((await this.users.findById(userId)) === null)
      throw new NotFound(ErrorCode.USER_NOT_FOUND, 'User not found');
    const memberships = await this.memberships.listForUser(userId);
    const tenants = await this.dataSource
      .getRepository(Tenant)
      .find({ where: { id: In(memberships.map((m) => m.tenantId)) } });
    const contexts = tenants.map((tenant) => this.contextIn(tenant));
    const soleAdminOf: string[] = [];
    for (const context of contexts) {
      const membership = memberships.find((m) => m.tenantId === context.tenantId)!;
      if (membership.role === 'admin' && (await this.memberships.countAdmins(context.scope())) <= 1)
        soleAdminOf.push(context.tenantSlug);
    }
    if (soleAdminOf.length > 0)
      throw new Conflict(
        ErrorCode.LAST_TENANT_ADMIN,
        `This user is the only admin of ${soleAdminOf.join(', ')}; add another admin there first`,
      );
    const left: string[] = [];
    for (const context of contexts) {
      await this.members.remove(context.scope(), userId);
      left.push(context.tenantId);
    }
    await this.audit.record({
      action: 'user.remove_from_tenants',
      outcome: 'success',
      tenantId: null,
      resourceType: 'user',
      resourceId: userId,
      details: { tenants: left },
    });
    return left;
  }

  /** The calling platform admin's context in one of the user's tenants (no role of their own). */
  private contextIn(tenant: Tenant): TenantContext {
    return TenantContext.forMember({
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      principal: this.contexts.principal()!,
      role: null,
      kbIds: [],
      requestId: this.contexts.requestId(),
    });
  }
}
