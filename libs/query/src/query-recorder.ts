import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@strata/audit';
import type { QueryMode } from '@strata/knowledge-bases';
import type { KbScope } from '@strata/tenancy';
import { type TenantSettings, UsageService } from '@strata/tenants';

export interface QueryRecord {
  question: string;
  mode: QueryMode;
  results: number;
  latencyMs: number;
  streamed: boolean;
  /** Set when the query did not complete: the error code, or `CLIENT_CLOSED` for an abandoned stream. */
  failure?: string;
  details?: Record<string, unknown>;
}

/**
 * Writes a query's audit event and its usage (one query) in one transaction.
 * The question is kept only when the tenant's privacy settings allow it.
 */
@Injectable()
export class QueryRecorder {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly usage: UsageService,
  ) {}

  /** One event for the query; asked across KBs, it is on the tenant and names the KBs. */
  async record(scopes: readonly KbScope[], tenant: TenantSettings, run: QueryRecord): Promise<void> {
    const across = scopes.length > 1;
    await this.dataSource.transaction(async (manager) => {
      await this.audit.record(
        {
          action: 'query.run',
          outcome: run.failure ? 'error' : 'success',
          resourceType: across ? 'tenant' : 'knowledge_base',
          resourceId: across ? scopes[0].tenantId : scopes[0].kbId,
          details: {
            ...run.details,
            ...(across ? { knowledge_base_ids: scopes.map((scope) => scope.kbId) } : {}),
            mode: run.mode,
            results: run.results,
            latency_ms: Math.round(run.latencyMs),
            ...(run.streamed ? { streamed: true } : {}),
            ...(run.failure ? { error: run.failure } : {}),
            ...(tenant.privacy.store_query_text ? { query: run.question } : {}),
          },
        },
        manager,
      );
      // Its tokens were counted as they were spent (see TokenMeter).
      await this.usage.add(scopes[0], { queries: 1 }, manager);
    });
  }
}
