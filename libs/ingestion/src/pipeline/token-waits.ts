import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@strata/core';
import type { TenantScope } from '@strata/tenancy';
import { type TokenKind, TokenQuotas } from '@strata/tenants';

/** The longest a tenant found out of tokens is taken to stay so before the database is asked again. */
const MAX_RECHECK_MS = 60_000;

/**
 * Whether a tenant's jobs wait for the next day because it used its daily tokens of a kind: a
 * document's embedding at a provider (`embedding`), a graph extracted by an LLM (`llm`). Their
 * documents stay where they are (pending, or searchable with their graph pending) and the
 * recovery sweep queues them again every half lease; the answer is kept that long per tenant (a
 * minute at most), so a tenant with thousands of waiting documents costs one look per sweep, and
 * each wait is said once a day in the log.
 */
@Injectable()
export class TokenWaits {
  private readonly logger = new Logger('TokenQuotas');
  private readonly waitingUntil = new Map<string, number>();
  private readonly told = new Set<string>();

  /** As often as the recovery sweep looks (half a lease), at most once a minute. */
  private readonly recheckMs: number;

  constructor(
    private readonly quotas: TokenQuotas,
    config: AppConfig,
  ) {
    this.recheckMs = Math.min(MAX_RECHECK_MS, (config.ingestion.leaseSeconds * 1000) / 2);
  }

  /** `spends` says whether this work would spend tokens of `kind` at all (asked only when they are used up). */
  async waiting(scope: TenantScope, kind: TokenKind, spends: () => Promise<boolean>): Promise<boolean> {
    const key = `${kind}|${scope.tenantId}`;
    if ((this.waitingUntil.get(key) ?? 0) > Date.now()) return spends();
    const { usedUp, resetInSeconds } = await this.quotas.usedUp(scope, kind);
    if (!usedUp) {
      this.waitingUntil.delete(key);
      return false;
    }
    this.waitingUntil.set(key, Date.now() + Math.min(this.recheckMs, resetInSeconds * 1000));
    if (!(await spends())) return false;
    const day = `${key}|${new Date(Date.now() + resetInSeconds * 1000).toDateString()}`;
    if (!this.told.has(day)) {
      this.told.add(day);
      this.logger.log(
        `tenant ${scope.tenantId} used its ${kind === 'llm' ? 'LLM' : 'embedding'} tokens for today: ` +
          `its ${kind === 'llm' ? 'graphs' : 'documents'} wait ${Math.ceil(resetInSeconds / 60)} min for the next day`,
      );
    }
    return true;
  }
}
