import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig, newId } from '@strata/core';
import { TenantContextService } from '@strata/tenancy';
import { AuditActorType, AuditEvent, AuditOutcome } from './audit-event.entity';
import { lockChainHead } from './audit-events.repository';
import { AUDIT_HASH_VERSION, auditChainKey, auditHash, PLATFORM_CHAIN } from './audit-hash';

/** What a caller says about an event; who, when and from where are filled in from the request. */
export interface AuditRecord {
  action: string;
  outcome: AuditOutcome;
  /** Defaults to the request's TenantContext; null = a platform-level event. */
  tenantId?: string | null;
  kbId?: string | null;
  resourceType?: string | null;
  resourceId?: string | null;
  details?: Record<string, unknown>;
  /** Defaults to the request's principal (anonymous when there is none). */
  actor?: { type: AuditActorType; id: string | null };
}

/**
 * Appends events to the per-tenant hash chains. Pass the transaction's manager to make the event
 * part of the change it records; without one the event is written in a transaction of its own.
 */
@Injectable()
export class AuditService {
  private readonly chainKey: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly contexts: TenantContextService,
    config: AppConfig,
  ) {
    this.chainKey = auditChainKey(config.masterKey!);
  }

  async record(record: AuditRecord, manager?: EntityManager): Promise<AuditEvent> {
    const [event] = await this.recordMany([record], manager);
    return event;
  }

  /**
   * Appends several events at once, in order: per chain one lock, one read of its last event and
   * one insert, however many events (a graph batch settles a hundred documents in one transaction,
   * and three statements per event held the embedded database's one connection for ~150 ms).
   */
  async recordMany(records: readonly AuditRecord[], manager?: EntityManager): Promise<AuditEvent[]> {
    if (records.length === 0) return [];
    if (manager) return this.append(manager, records);
    return this.dataSource.transaction((own) => this.append(own, records));
  }

  private async append(manager: EntityManager, records: readonly AuditRecord[]): Promise<AuditEvent[]> {
    const context = this.contexts.current();
    const principal = this.contexts.principal();
    const request = this.contexts.requestInfo();
    const tenantOf = (record: AuditRecord) =>
      record.tenantId !== undefined ? record.tenantId : (context?.tenantId ?? null);
    const byChain = new Map<string, number[]>();
    records.forEach((record, i) => {
      const chain = tenantOf(record) ?? PLATFORM_CHAIN;
      const indices = byChain.get(chain);
      if (indices) indices.push(i);
      else byChain.set(chain, [i]);
    });
    const events = new Array<AuditEvent>(records.length);
    const at = new Date();
    // Chains in a fixed order, so two writers that both append to two chains cannot deadlock.
    for (const chain of [...byChain.keys()].sort()) {
      const head = await lockChainHead(manager, chain);
      let seq = head?.seq ?? 0n;
      let prevHash = head?.hash ?? null;
      const appended: AuditEvent[] = [];
      for (const i of byChain.get(chain)!) {
        const record = records[i];
        seq += 1n;
        const unsigned: Omit<AuditEvent, 'hash'> = {
          id: newId(),
          chain,
          seq: String(seq),
          at,
          tenantId: tenantOf(record),
          kbId: record.kbId !== undefined ? record.kbId : (context?.kbId ?? null),
          actorType: record.actor?.type ?? principal?.type ?? 'anonymous',
          actorId: record.actor !== undefined ? record.actor.id : (principal?.id ?? null),
          action: record.action,
          resourceType: record.resourceType ?? null,
          resourceId: record.resourceId ?? null,
          outcome: record.outcome,
          requestId: request.requestId,
          ip: request.ip,
          userAgent: request.userAgent,
          details: record.details ?? {},
          prevHash,
          hashVersion: AUDIT_HASH_VERSION.keyed,
        };
        const event = { ...unsigned, hash: auditHash(unsigned, this.chainKey) };
        prevHash = event.hash;
        events[i] = event;
        appended.push(event);
      }
      // TypeORM's deep-partial insert type cannot express a free-form JSON column, hence the cast.
      await manager.getRepository(AuditEvent).insert(appended as never);
    }
    return events;
  }
}
