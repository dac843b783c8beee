import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Page, toPage } from '@strata/core';
import type { TenantScope } from '@strata/tenancy';
import { AuditEvent } from './audit-event.entity';
import { AuditEventResponse, AuditQueryDto } from './dto/audit.dto';

export type AuditFilter = Pick<
  AuditQueryDto,
  'action' | 'actor_id' | 'kb_id' | 'outcome' | 'from' | 'to' | 'order'
>;

/** Reads a tenant's audit events, newest chains kept apart by the scope's tenant. */
@Injectable()
export class AuditQueryService {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  async page(
    scope: TenantScope,
    filter: AuditFilter,
    afterId: string | null,
    limit: number,
  ): Promise<Page<AuditEventResponse>> {
    return toPage(await this.fetch(scope, filter, afterId, limit + 1), limit, AuditEventResponse.from);
  }

  /** Every matching event in order, fetched `batch` at a time (for exports). */
  async *all(scope: TenantScope, filter: AuditFilter, batch = 500): AsyncGenerator<AuditEventResponse> {
    let afterId: string | null = null;
    for (;;) {
      const rows = await this.fetch(scope, filter, afterId, batch);
      for (const row of rows) yield AuditEventResponse.from(row);
      if (rows.length < batch) return;
      afterId = rows[rows.length - 1].id;
    }
  }

  private fetch(
    scope: TenantScope,
    filter: AuditFilter,
    afterId: string | null,
    take: number,
  ): Promise<AuditEvent[]> {
    // Ids are time-ordered (v7), so id order is the chain's order.
    const newestFirst = filter.order === 'desc';
    const query = this.events
      .createQueryBuilder('e')
      .where('e.tenant_id = :tenantId', { tenantId: scope.tenantId })
      .orderBy('e.id', newestFirst ? 'DESC' : 'ASC')
      .limit(take);
    if (afterId !== null) query.andWhere(newestFirst ? 'e.id < :afterId' : 'e.id > :afterId', { afterId });
    if (filter.action) query.andWhere('e.action = :action', { action: filter.action });
    if (filter.actor_id) query.andWhere('e.actor_id = :actorId', { actorId: filter.actor_id });
    if (filter.kb_id) query.andWhere('e.kb_id = :kbId', { kbId: filter.kb_id });
    if (filter.outcome) query.andWhere('e.outcome = :outcome', { outcome: filter.outcome });
    if (filter.from) query.andWhere('e.at >= :from', { from: new Date(filter.from) });
    if (filter.to) query.andWhere('e.at < :to', { to: new Date(filter.to) });
    return query.getMany();
  }
}
