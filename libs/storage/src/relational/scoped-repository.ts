import type { EntityManager, FindOptionsOrder, FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';
import type { TenantScope } from '@strata/tenancy';

/** An entity that belongs to a tenant. */
export interface TenantOwned extends ObjectLiteral {
  tenantId: string;
}

/**
 * A repository over a tenant-owned table whose every method takes the scope first and adds the
 * tenant filter itself, so a query without a tenant filter cannot be written through it.
 */
export class TenantScopedRepository<T extends TenantOwned> {
  constructor(private readonly repository: Repository<T>) {}

  /** The same repository bound to a transaction's entity manager. */
  withManager(manager: EntityManager): TenantScopedRepository<T> {
    return new TenantScopedRepository(manager.getRepository(this.repository.target) as Repository<T>);
  }

  private scoped(scope: TenantScope, where: FindOptionsWhere<T> = {}): FindOptionsWhere<T> {
    return { ...where, tenantId: scope.tenantId } as FindOptionsWhere<T>;
  }

  findOne(scope: TenantScope, where: FindOptionsWhere<T>): Promise<T | null> {
    return this.repository.findOne({ where: this.scoped(scope, where) });
  }

  find(
    scope: TenantScope,
    options: { where?: FindOptionsWhere<T>; order?: FindOptionsOrder<T>; take?: number } = {},
  ): Promise<T[]> {
    return this.repository.find({
      where: this.scoped(scope, options.where),
      order: options.order,
      take: options.take,
    });
  }

  count(scope: TenantScope, where: FindOptionsWhere<T> = {}): Promise<number> {
    return this.repository.count({ where: this.scoped(scope, where) });
  }

  /** Inserts a row; its tenant id always comes from the scope, never from the caller's values. */
  async insert(scope: TenantScope, values: Omit<T, 'tenantId'>): Promise<T> {
    const entity = this.repository.create({ ...values, tenantId: scope.tenantId } as T);
    return this.repository.save(entity);
  }

  async save(scope: TenantScope, entity: T): Promise<T> {
    if (entity.tenantId !== scope.tenantId) throw new Error('entity belongs to another tenant');
    return this.repository.save(entity);
  }

  async delete(scope: TenantScope, where: FindOptionsWhere<T>): Promise<number> {
    const result = await this.repository.delete(this.scoped(scope, where));
    return result.affected ?? 0;
  }

  /** Rows of this tenant matching `where`, ordered by id, after `afterId` (keyset pagination). */
  page(scope: TenantScope, where: FindOptionsWhere<T>, afterId: string | null, take: number): Promise<T[]> {
    const query = this.repository
      .createQueryBuilder('row')
      .where({ ...this.scoped(scope, where) })
      .orderBy('row.id', 'ASC')
      .limit(take);
    if (afterId !== null) query.andWhere('row.id > :afterId', { afterId });
    return query.getMany();
  }
}
