import { Injectable } from '@nestjs/common';
import { ApiKeysService } from '@strata/auth';
import { type TenantContext, MembershipsRepository } from '@strata/tenancy';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TenantConfigService } from '../config/tenant-config.service';
import { AnswerRatings, type DailyRatings } from './answer-ratings.port';
import { priceTokens } from './token-cost';
import { TokenUsageRepository } from './token-usage.repository';
import { TenantHoldings } from './tenant-holdings.port';
import { UsageDailyRepository } from './usage-daily.repository';
import type { DailyUsage } from './usage-daily.repository';
import type { DailyUsageResponse, UsageResponse } from './usage.dto';

/**
 * A tenant's usage as its admins see it: live counts beside its quotas, recent daily counters, the
 * tokens spent per KB, purpose and model with their cost, and how answers were rated.
 */
@Injectable()
export class UsageReport {
  constructor(
    private readonly holdings: TenantHoldings,
    private readonly memberships: MembershipsRepository,
    private readonly apiKeys: ApiKeysService,
    private readonly daily: UsageDailyRepository,
    private readonly ratings: AnswerRatings,
    private readonly tenantConfig: TenantConfigService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async get(context: TenantContext, days: number): Promise<UsageResponse> {
    const scope = context.scope();
    const [holdings, members, apiKeys, daily, ratings, tokens, prices] = await Promise.all([
      this.holdings.count(scope),
      this.memberships.count(scope),
      this.apiKeys.countLive(scope),
      this.daily.recent(scope, days),
      this.ratings.daily(scope, days),
      TokenUsageRepository.recent(this.dataSource, scope, days),
      this.tenantConfig.prices(scope),
    ]);
    const priced = priceTokens(tokens, prices.models);
    const up = ratings.reduce((sum, day) => sum + day.up, 0);
    const down = ratings.reduce((sum, day) => sum + day.down, 0);
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
      tokens: priced.rows,
      cost: { currency: prices.currency, total: priced.total, unpriced_models: priced.unpriced_models },
      feedback: { up, down, up_rate: up + down === 0 ? null : Math.round((up / (up + down)) * 1000) / 1000 },
      daily: withRatings(daily, ratings),
    };
  }
}

/** The daily counters with each day's ratings beside them (a day with ratings only gets a row too). */
export function withRatings(
  daily: readonly DailyUsage[],
  ratings: readonly DailyRatings[],
): DailyUsageResponse[] {
  const byDay = new Map<string, DailyUsageResponse>();
  for (const usage of daily) byDay.set(usage.day, { ...usage, answers_up: 0, answers_down: 0 });
  for (const { day, up, down } of ratings) {
    const row = byDay.get(day) ?? {
      day,
      queries: 0,
      tokens_in: 0,
      tokens_out: 0,
      embedding_tokens: 0,
      bytes_ingested: 0,
      documents: 0,
      answers_up: 0,
      answers_down: 0,
    };
    byDay.set(day, { ...row, answers_up: up, answers_down: down });
  }
  return [...byDay.values()].sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0));
}
