import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@strata/audit';
import { runAsBackgroundWork } from '@strata/storage';
import { TenantContext, type TenantScope } from '@strata/tenancy';
import { conversationRetentions } from '@strata/tenants';
import { ConversationsRepository } from '../conversations.repository';

export const ENFORCE_CONVERSATION_RETENTION = Symbol('ENFORCE_CONVERSATION_RETENTION');
const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Rows one statement removes: a tenant's first run after setting a retention may have years to remove. */
const RETENTION_BATCH = 1000;

/** What one run removed in one tenant. */
export interface RetentionOutcome {
  tenantId: string;
  turns: number;
  conversations: number;
}

/**
 * Enforces each tenant's `conversations.retention_days`: at start and then hourly, turns older
 * than that are removed, and then the conversations left with no turn and no activity since. Runs
 * in the processes that run jobs; what it removed is audited per tenant, as the system.
 */
@Injectable()
export class ConversationRetentionJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ConversationRetention');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RetentionOutcome[]> | null = null;

  constructor(
    @Inject(ENFORCE_CONVERSATION_RETENTION) private readonly enforce: boolean,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.enforce) return;
    const tick = () =>
      void this.run().catch((e: Error) => this.logger.warn(`conversation retention failed: ${e.message}`));
    tick();
    this.timer = setInterval(tick, RETENTION_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass over the tenants that set a retention; a pass already running is joined. */
  run(now: Date = new Date()): Promise<RetentionOutcome[]> {
    this.running ??= runAsBackgroundWork(() => this.removeExpired(now)).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async removeExpired(now: Date): Promise<RetentionOutcome[]> {
    const outcomes: RetentionOutcome[] = [];
    for (const { tenantId, days } of await conversationRetentions(this.dataSource)) {
      const scope = TenantContext.forJob({
        tenantId,
        kbId: null,
        jobName: 'conversation-retention',
        jobId: `retention-${now.toISOString()}`,
      }).scope();
      const cutoff = new Date(now.getTime() - days * DAY_MS);
      const turns = await this.repeat((limit) =>
        ConversationsRepository.removeTurnsOlderThan(this.dataSource, scope, cutoff, limit),
      );
      const conversations = await this.repeat((limit) =>
        ConversationsRepository.removeIdleConversations(this.dataSource, scope, cutoff, limit),
      );
      if (turns + conversations === 0) continue;
      await this.recordRemoval(scope, days, cutoff, { turns, conversations });
      outcomes.push({ tenantId, turns, conversations });
    }
    return outcomes;
  }

  /** Runs a bounded removal until it removes less than a batch; answers the total. */
  private async repeat(remove: (limit: number) => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const removed = await remove(RETENTION_BATCH);
      total += removed;
      if (removed < RETENTION_BATCH) return total;
    }
  }

  private recordRemoval(
    scope: TenantScope,
    days: number,
    cutoff: Date,
    removed: { turns: number; conversations: number },
  ) {
    return this.audit.record({
      action: 'conversation.retention',
      outcome: 'success',
      tenantId: scope.tenantId,
      kbId: null,
      resourceType: 'tenant',
      resourceId: scope.tenantId,
      actor: { type: 'system', id: 'conversation-retention' },
      details: { retention_days: days, before: cutoff.toISOString(), ...removed },
    });
  }
}
