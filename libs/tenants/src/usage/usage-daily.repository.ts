import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SqlRunner } from '@strata/storage';
import type { TenantScope } from '@strata/tenancy';

export type UsageCounter =
  'queries' | 'tokens_in' | 'tokens_out' | 'embedding_tokens' | 'bytes_ingested' | 'documents';

/** One day's counters of a tenant; `day` is `YYYY-MM-DD`. */
export type DailyUsage = { day: string } & Record<UsageCounter, number>;

const COUNTERS: readonly UsageCounter[] = [
  'queries',
  'tokens_in',
  'tokens_out',
  'embedding_tokens',
  'bytes_ingested',
  'documents',
];

/** The usage_daily table: a tenant's counters per day, added to by ingestion and queries. */
@Injectable()
export class UsageDailyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds the non-zero deltas to today's row, creating it; `sql` is the caller's transaction, if any. */
  async add(
    scope: TenantScope,
    deltas: Partial<Record<UsageCounter, number>>,
    sql: SqlRunner = this.dataSource,
  ): Promise<void> {
    const columns = COUNTERS.filter((c) => (deltas[c] ?? 0) !== 0);
    if (columns.length === 0) return;
    await sql.query(
      `INSERT INTO usage_daily (tenant_id, day, ${columns.join(', ')})
       VALUES ($1, current_date, ${columns.map((_, i) => `$${i + 2}`).join(', ')})
       ON CONFLICT (tenant_id, day) DO UPDATE SET ${columns.map((c) => `${c} = usage_daily.${c} + EXCLUDED.${c}`).join(', ')}`,
      [scope.tenantId, ...columns.map((c) => deltas[c]!)],
    );
  }

  /** The days with any activity among the last `days` (today included), newest first. */
  async recent(scope: TenantScope, days: number): Promise<DailyUsage[]> {
    const rows = (await this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, ${COUNTERS.join(', ')}
       FROM usage_daily WHERE tenant_id = $1 AND day > current_date - $2::int ORDER BY day DESC`,
      [scope.tenantId, days],
    )) as Array<Record<string, string>>;
    return rows.map((row) => {
      const usage = { day: row.day } as DailyUsage;
      for (const counter of COUNTERS) usage[counter] = Number(row[counter]);
      return usage;
    });
  }
}
