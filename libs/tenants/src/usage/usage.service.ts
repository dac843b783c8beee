import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { TenantContext, TenantScope } from '@strata/tenancy';
import { DailyUsageResponse, UsageResponse } from './usage.dto';

export type UsageCounter = 'queries' | 'tokens_in' | 'tokens_out' | 'bytes_ingested' | 'documents';

/** A tenant's consumption: live counts against quotas, and daily counters. */
@Injectable()
export class UsageService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(context: TenantContext, days: number): Promise<UsageResponse> {
    const tenantId = context.tenantId;
    const [counts]: Array<Record<string, string>> = await this.dataSource.query(
      `SELECT
         (SELECT count(*) FROM knowledge_bases WHERE tenant_id = $1) AS knowledge_bases,
         (SELECT count(*) FROM documents WHERE tenant_id = $1 AND status <> 'deleting') AS documents,
         (SELECT coalesce(sum(size_bytes), 0) FROM documents WHERE tenant_id = $1 AND status <> 'deleting')
           AS storage_bytes,
         (SELECT count(*) FROM memberships WHERE tenant_id = $1) AS members,
         (SELECT count(*) FROM api_keys WHERE tenant_id = $1 AND revoked_at IS NULL
            AND (expires_at IS NULL OR expires_at > now())) AS api_keys`,
      [tenantId],
    );
    const daily: Array<Record<string, string>> = await this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, queries, tokens_in, tokens_out, bytes_ingested, documents
       FROM usage_daily WHERE tenant_id = $1 AND day > current_date - $2::int ORDER BY day DESC`,
      [tenantId, days],
    );
    return {
      quotas: { ...context.quotas },
      current: {
        knowledge_bases: Number(counts.knowledge_bases),
        documents: Number(counts.documents),
        // The same measures the document quotas are checked against.
        storage_bytes: Number(counts.storage_bytes),
        members: Number(counts.members),
        api_keys: Number(counts.api_keys),
      },
      daily: daily.map((row): DailyUsageResponse => ({
        day: row.day,
        queries: Number(row.queries),
        tokens_in: Number(row.tokens_in),
        tokens_out: Number(row.tokens_out),
        bytes_ingested: Number(row.bytes_ingested),
        documents: Number(row.documents),
      })),
    };
  }

  /** Adds to today's counters (used by ingestion and query); pass the transaction's manager. */
  async add(
    scope: TenantScope,
    deltas: Partial<Record<UsageCounter, number>>,
    manager?: EntityManager,
  ): Promise<void> {
    const columns = (Object.keys(deltas) as UsageCounter[]).filter((c) => (deltas[c] ?? 0) !== 0);
    if (columns.length === 0) return;
    const values = columns.map((c) => deltas[c]!);
    await (manager ?? this.dataSource.manager).query(
      `INSERT INTO usage_daily (tenant_id, day, ${columns.join(', ')})
       VALUES ($1, current_date, ${columns.map((_, i) => `$${i + 2}`).join(', ')})
       ON CONFLICT (tenant_id, day) DO UPDATE SET ${columns.map((c) => `${c} = usage_daily.${c} + EXCLUDED.${c}`).join(', ')}`,
      [scope.tenantId, ...values],
    );
  }
}
