import { Injectable } from '@nestjs/common';
import { ApiKeysService } from '@strata/auth';
import { type TenantContext, MembershipsRepository } from '@strata/tenancy';
import { TenantHoldings } from './tenant-holdings.port';
import { UsageDailyRepository } from './usage-daily.repository';
import type { UsageResponse } from './usage.dto';

/** A tenant's usage as its admins see it: live counts beside its quotas, and recent daily counters. */
@Injectable()
export class UsageReport {
  constructor(
    private readonly holdings: TenantHoldings,
    private readonly memberships: MembershipsRepository,
    private readonly apiKeys: ApiKeysService,
    private readonly daily: UsageDailyRepository,
  ) {}

  async get(context: TenantContext, days: number): Promise<UsageResponse> {
    const scope = context.scope();
    const [holdings, members, apiKeys, daily] = await Promise.all([
      this.holdings.count(scope),
      this.memberships.count(scope),
      this.apiKeys.countLive(scope),
      this.daily.recent(scope, days),
    ]);
    return {
      quotas: { ...context.quotas },
      current: {
        knowledge_bases: holdings.knowledgeBases,
        documents: holdings.documents,
        // The same measures the document quotas are checked against.
        storage_bytes: holdings.storageBytes,
        members,
        api_keys: apiKeys,
      },
      daily,
    };
  }
}
