import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ErrorCode, TooManyRequests } from '@strata/core';
import { type TenantQuotas, type TenantScope, withDefaultQuotas } from '@strata/tenancy';
import { Tenant } from '../entities/tenant.entity';
import { TokenUsageRepository } from './token-usage.repository';

export type TokenKind = 'llm' | 'embedding';

const QUOTA_OF: Record<TokenKind, 'llm_tokens_per_day' | 'embedding_tokens_per_day'> = {
  llm: 'llm_tokens_per_day',
  embedding: 'embedding_tokens_per_day',
};
const CODE_OF: Record<TokenKind, ErrorCode> = {
  llm: ErrorCode.QUOTA_LLM_TOKENS_EXCEEDED,
  embedding: ErrorCode.QUOTA_EMBEDDING_TOKENS_EXCEEDED,
};

/**
 * The daily token quotas. A request that would spend tokens of a kind the tenant has used up
 * today is refused with 429 until the day ends; a job asks whether it may go on, and waits for
 * the next day when it may not. A call already running finishes: the quota is checked before
 * work starts, so a day can end a little over it.
 */
@Injectable()
export class TokenQuotas {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Throws 429 (with Retry-After) when a kind the work needs is used up for today. */
  async assertAvailable(
    scope: TenantScope,
    quotas: TenantQuotas,
    kinds: readonly TokenKind[],
  ): Promise<void> {
    const limited = kinds.filter((kind) => quotas[QUOTA_OF[kind]] !== null);
    if (limited.length === 0) return;
    const today = await TokenUsageRepository.today(this.dataSource, scope);
    for (const kind of limited) {
      const quota = quotas[QUOTA_OF[kind]]!;
      if (today[kind] >= quota) {
        throw new TooManyRequests(
          CODE_OF[kind],
          `The tenant used its ${quota} ${kind === 'llm' ? 'LLM' : 'embedding'} tokens for today (${QUOTA_OF[kind]}); it may use more when the day ends`,
          today.resetInSeconds,
        );
      }
    }
  }

  /**
   * For a job, which carries no quotas: whether the tenant has used up today's tokens of `kind`
   * (its quotas read from its row), and when it may go on.
   */
  async usedUp(scope: TenantScope, kind: TokenKind): Promise<{ usedUp: boolean; resetInSeconds: number }> {
    const tenant = await this.dataSource.getRepository(Tenant).findOne({
      where: { id: scope.tenantId },
      select: { id: true, quotas: true },
    });
    const quota = withDefaultQuotas(tenant?.quotas)[QUOTA_OF[kind]];
    if (quota === null) return { usedUp: false, resetInSeconds: 0 };
    const today = await TokenUsageRepository.today(this.dataSource, scope);
    return { usedUp: today[kind] >= quota, resetInSeconds: today.resetInSeconds };
  }
}
