import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import type { TenantScope } from '../scope';
import { Membership } from './membership.entity';

/** The memberships table: reads and writes; every tenant-side call is limited to the scope's tenant. */
@Injectable()
export class MembershipsRepository {
  constructor(@InjectRepository(Membership) private readonly memberships: Repository<Membership>) {}

  /** The membership tenant resolution uses; not scoped because it decides the scope. */
  findForResolution(tenantId: string, userId: string): Promise<Membership | null> {
    return this.memberships.findOne({ where: { tenantId, userId } });
  }

  /** Every membership of a user, across tenants (login, /auth/me). */
  listForUser(userId: string): Promise<Membership[]> {
    return this.memberships.find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  find(scope: TenantScope, userId: string, manager?: EntityManager): Promise<Membership | null> {
    return this.repo(manager).findOne({ where: { tenantId: scope.tenantId, userId } });
  }

  /** Which of these users are members of the tenant, in one read. */
  async members(scope: TenantScope, userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.memberships.find({
      select: { userId: true },
      where: { tenantId: scope.tenantId, userId: In([...userIds]) },
    });
    return new Set(rows.map((row) => row.userId));
  }

  /** Members of the tenant ordered by user id, after `afterUserId`. */
  page(scope: TenantScope, afterUserId: string | null, take: number): Promise<Membership[]> {
    const query = this.memberships
      .createQueryBuilder('m')
      .where('m.tenant_id = :tenantId', { tenantId: scope.tenantId })
      .orderBy('m.user_id', 'ASC')
      .limit(take);
    if (afterUserId !== null) query.andWhere('m.user_id > :afterUserId', { afterUserId });
    return query.getMany();
  }

  count(scope: TenantScope): Promise<number> {
    return this.memberships.count({ where: { tenantId: scope.tenantId } });
  }

  countAdmins(scope: TenantScope, manager?: EntityManager): Promise<number> {
    return this.repo(manager).count({ where: { tenantId: scope.tenantId, role: 'admin' } });
  }

  save(
    scope: TenantScope,
    membership: Omit<Membership, 'tenantId' | 'createdAt' | 'updatedAt' | 'grantedByProvider'> &
      Partial<Pick<Membership, 'grantedByProvider'>>,
    manager?: EntityManager,
  ) {
    const repo = this.repo(manager);
    return repo.save(repo.create({ grantedByProvider: null, ...membership, tenantId: scope.tenantId }));
  }

  /**
   * Every membership of a user, across tenants, locked in the caller's transaction: a sign-in
   * applying an identity provider's rules then cannot race another one of the same person.
   */
  lockForUser(userId: string, manager: EntityManager): Promise<Membership[]> {
    return manager.getRepository(Membership).find({
      where: { userId },
      order: { tenantId: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async remove(scope: TenantScope, userId: string, manager?: EntityManager): Promise<boolean> {
    const result = await this.repo(manager).delete({ tenantId: scope.tenantId, userId });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Locks the tenant's admin rows and the user's own (in the caller's transaction) and answers the
   * user's membership: two concurrent role changes then cannot both pass a last-admin check.
   */
  async lockForRoleChange(
    scope: TenantScope,
    userId: string,
    manager: EntityManager,
  ): Promise<Membership | null> {
    await manager.query(
      `SELECT user_id FROM memberships WHERE tenant_id = $1 AND role = 'admin' FOR UPDATE`,
      [scope.tenantId],
    );
    return manager
      .getRepository(Membership)
      .findOne({ where: { tenantId: scope.tenantId, userId }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Removes every membership an identity provider's rules granted, in every tenant (the provider
   * is being deleted), and answers them.
   */
  async removeGrantedBy(
    providerId: string,
    manager: EntityManager,
  ): Promise<Array<Pick<Membership, 'tenantId' | 'userId' | 'role'>>> {
    const repo = manager.getRepository(Membership);
    const granted = await repo.find({
      where: { grantedByProvider: providerId },
      lock: { mode: 'pessimistic_write' },
    });
    if (granted.length > 0) await repo.delete({ grantedByProvider: providerId });
    return granted.map(({ tenantId, userId, role }) => ({ tenantId, userId, role }));
  }

  /** Members of the tenant who belong to no other tenant. */
  async soleMembers(scope: TenantScope, manager: EntityManager): Promise<string[]> {
    const rows: Array<{ user_id: string }> = await manager.query(
      `SELECT m.user_id FROM memberships m
       WHERE m.tenant_id = $1
         AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.user_id = m.user_id AND o.tenant_id <> $1)`,
      [scope.tenantId],
    );
    return rows.map((row) => row.user_id);
  }

  /** Drops a deleted KB from every member's assignment in the tenant. */
  async forgetKnowledgeBase(scope: TenantScope, kbId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE memberships SET knowledge_base_ids = array_remove(knowledge_base_ids, $2), updated_at = now()
       WHERE tenant_id = $1 AND $2 = ANY(knowledge_base_ids)`,
      [scope.tenantId, kbId],
    );
  }

  /** Adds a KB to one member's assignment (an editor who creates a KB can then see it). */
  async grantKnowledgeBase(
    scope: TenantScope,
    userId: string,
    kbId: string,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE memberships SET knowledge_base_ids = array_append(knowledge_base_ids, $3), updated_at = now()
       WHERE tenant_id = $1 AND user_id = $2 AND knowledge_base_ids IS NOT NULL AND NOT ($3 = ANY(knowledge_base_ids))`,
      [scope.tenantId, userId, kbId],
    );
  }

  private repo(manager?: EntityManager): Repository<Membership> {
    return manager ? manager.getRepository(Membership) : this.memberships;
  }
}
