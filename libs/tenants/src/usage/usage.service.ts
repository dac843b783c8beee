import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '@strata/tenancy';
import { type UsageCounter, UsageDailyRepository } from './usage-daily.repository';

export type { UsageCounter } from './usage-daily.repository';

/** A tenant's daily consumption counters, added to by ingestion and queries. */
@Injectable()
export class UsageService {
  constructor(private readonly daily: UsageDailyRepository) {}

  /** Adds to today's counters; pass the transaction's manager so they commit with the work. */
  add(
    scope: TenantScope,
    deltas: Partial<Record<UsageCounter, number>>,
    manager?: EntityManager,
  ): Promise<void> {
    return this.daily.add(scope, deltas, manager);
  }
}
