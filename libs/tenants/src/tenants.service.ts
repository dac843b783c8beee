import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { AuditService } from '@strata/audit';
import { UsersService } from '@strata/auth';
import { Conflict, ErrorCode, IdOrSlug, newId, Page, tenantNotFound, toPage } from '@strata/core';
import { isUniqueViolation, JobQueue, schedulePurge } from '@strata/storage';
import { MembershipsRepository, Principal, TenantLookup, TenantScope, TenantSummary } from '@strata/tenancy';
import { CreateTenantDto, TenantResponse, UpdateTenantDto } from './dto/tenant.dto';
import { Tenant } from './entities/tenant.entity';
import { ThrottledTenants } from './quotas/throttled-tenants';

const slugTaken = () => new Conflict(ErrorCode.TENANT_SLUG_TAKEN, 'A tenant with this slug already exists');

/** The tenant registry: create, list, update and delete tenants, and read their quotas. */
@Injectable()
export class TenantsService extends TenantLookup {
  constructor(
    @InjectRepository(Tenant) private readonly tenants: Repository<Tenant>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly memberships: MembershipsRepository,
    private readonly queue: JobQueue,
    private readonly throttled: ThrottledTenants,
    private readonly users: UsersService,
  ) {
    super();
  }

  findTenant(ref: IdOrSlug): Promise<TenantSummary | null> {
    return this.tenants.findOne({ where: 'id' in ref ? { id: ref.id } : { slug: ref.slug } });
  }

  async create(dto: CreateTenantDto): Promise<TenantResponse> {
    const tenant = this.tenants.create({
      id: newId(),
      slug: dto.slug,
      name: dto.name,
      status: 'active',
      quotas: { ...(dto.quotas ?? {}) },
      config: {},
    });
    try {
      const saved = await this.dataSource.transaction(async (manager) => {
        const row = await manager.getRepository(Tenant).save(tenant);
        await this.audit.record(
          {
            action: 'tenant.create',
            outcome: 'success',
            tenantId: row.id,
            resourceType: 'tenant',
            resourceId: row.id,
            details: { slug: row.slug },
          },
          manager,
        );
        return row;
      });
      return TenantResponse.from(saved);
    } catch (error) {
      if (isUniqueViolation(error)) throw slugTaken();
      throw error;
    }
  }

  /** Platform admins see every tenant; users the tenants they are a member of; a key its own. */
  async list(principal: Principal, afterId: string | null, limit: number): Promise<Page<TenantResponse>> {
    if (principal.platformAdmin) return this.page(null, afterId, limit);
    const ids =
      principal.type === 'api_key'
        ? [principal.tokenTenantId]
        : (await this.memberships.listForUser(principal.id)).map((m) => m.tenantId);
    if (ids.length === 0) return { items: [], next_cursor: null };
    return this.page(ids, afterId, limit);
  }

  /** Every tenant, for the host's operator (the CLI). */
  listAll(afterId: string | null, limit: number): Promise<Page<TenantResponse>> {
    return this.page(null, afterId, limit);
  }

  private async page(ids: string[] | null, afterId: string | null, limit: number) {
    const query = this.tenants
      .createQueryBuilder('t')
      .where('t.status <> :deleting', { deleting: 'deleting' })
      .orderBy('t.id', 'ASC')
      .limit(limit + 1);
    if (afterId !== null) query.andWhere('t.id > :afterId', { afterId });
    if (ids !== null) query.andWhere({ id: In(ids) });
    return toPage(await query.getMany(), limit, TenantResponse.from);
  }

  async get(scope: TenantScope): Promise<TenantResponse> {
    return TenantResponse.from(await this.load(scope));
  }

  async update(scope: TenantScope, dto: UpdateTenantDto): Promise<TenantResponse> {
    const tenant = await this.load(scope);
    if (dto.name !== undefined) tenant.name = dto.name;
    if (dto.status !== undefined) tenant.status = dto.status;
    if (dto.sso_required !== undefined) tenant.ssoRequired = dto.sso_required;
    if (dto.quotas !== undefined) {
      tenant.quotas = { ...tenant.quotas, ...dto.quotas };
      // New limits apply from the next request on this replica; others learn at their window's end.
      this.throttled.forget(tenant.id);
    }
    const saved = await this.dataSource.transaction(async (manager) => {
      const row = await manager.getRepository(Tenant).save(tenant);
      await this.audit.record(
        {
          action: 'tenant.update',
          outcome: 'success',
          resourceType: 'tenant',
          resourceId: row.id,
          details: { changed: Object.keys(dto) },
        },
        manager,
      );
      return row;
    });
    return TenantResponse.from(saved);
  }

  /**
   * Deletes the tenant and, by cascade, its memberships, sessions, KBs, documents and chunks, and
   * queues the purge of its vectors and blobs. Its members who belong to no other tenant are
   * disabled (platform admins aside): an account for nothing should not log in. Adding one to a
   * tenant later enables it again.
   */
  async delete(scope: TenantScope): Promise<void> {
    const purge = await this.dataSource.transaction(async (manager) => {
      const sole = await this.memberships.soleMembers(scope, manager);
      await manager.getRepository(Tenant).delete({ id: scope.tenantId });
      const disabled = await this.users.disable(sole, manager);
      // The tenant's audit chain outlives it (no foreign key), ending with this event.
      await this.audit.record(
        {
          action: 'tenant.delete',
          outcome: 'success',
          resourceType: 'tenant',
          resourceId: scope.tenantId,
          details: { disabled_users: disabled },
        },
        manager,
      );
      return schedulePurge(manager, scope, null);
    });
    await this.queue.enqueue(purge);
  }

  private async load(scope: TenantScope): Promise<Tenant> {
    const tenant = await this.tenants.findOne({ where: { id: scope.tenantId } });
    // Deleted by a concurrent request since tenant resolution found it.
    if (tenant === null) throw tenantNotFound();
    return tenant;
  }
}
