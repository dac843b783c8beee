import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@strata/core';
import { AuditEvent } from './audit-event.entity';
import {
  type AuditCheckpoint,
  auditCheckpointKey,
  checkpointSignatureHolds,
  signCheckpoint,
} from './audit-checkpoint';
import { AUDIT_HASH_VERSION, auditChainKey, auditHash } from './audit-hash';
import { chainHeads } from './audit-events.repository';

export interface ChainReport {
  chain: string;
  checked: number;
  ok: boolean;
  /** The first event whose link does not hold, and why (or, with a checkpoint, the tail it lost). */
  firstBroken: { seq: string; id: string | null; reason: string } | null;
  /** Events hashed before the chain was keyed: their order holds, not who wrote them. */
  unkeyed: number;
}

const BATCH = 1000;

/**
 * Recomputes a chain from its first event and reports the first link that does not hold; with a
 * checkpoint, also that the chain still holds the event the checkpoint saw last.
 */
@Injectable()
export class AuditVerifier {
  private readonly chainKey: Buffer;
  private readonly checkpointKey: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.chainKey = auditChainKey(config.masterKey!);
    this.checkpointKey = auditCheckpointKey(config.masterKey!);
  }

  async verify(chain: string, checkpoint: AuditCheckpoint | null = null): Promise<ChainReport> {
    if (checkpoint !== null && !checkpointSignatureHolds(checkpoint, this.checkpointKey)) {
      return {
        chain,
        checked: 0,
        ok: false,
        unkeyed: 0,
        firstBroken: {
          seq: checkpoint.seq,
          id: null,
          reason: 'the checkpoint was not signed by this deployment',
        },
      };
    }
    const repo = this.dataSource.getRepository(AuditEvent);
    let expectedPrev: string | null = null;
    let expectedSeq = 1n;
    let checked = 0;
    let unkeyed = 0;
    for (;;) {
      const rows = await repo
        .createQueryBuilder('e')
        .where('e.chain = :chain AND e.seq >= :from', { chain, from: expectedSeq.toString() })
        .orderBy('e.seq', 'ASC')
        .limit(BATCH)
        .getMany();
      for (const row of rows) {
        const broken = (reason: string): ChainReport => ({
          chain,
          checked,
          ok: false,
          unkeyed,
          firstBroken: { seq: String(row.seq), id: row.id, reason },
        });
        if (BigInt(row.seq) !== expectedSeq)
          return broken(`expected seq ${expectedSeq}, found ${row.seq} (a gap)`);
        if (row.prevHash !== expectedPrev) return broken('prev_hash does not match the previous event');
        if (row.hashVersion === AUDIT_HASH_VERSION.unkeyed) {
          // Once a chain is keyed it stays keyed: an unkeyed event after a keyed one was made later.
          if (unkeyed !== checked) return broken('an unkeyed hash after keyed ones');
          unkeyed += 1;
        } else if (row.hashVersion !== AUDIT_HASH_VERSION.keyed) {
          return broken(`unknown hash version ${row.hashVersion}`);
        }
        const { hash, ...unsigned } = row;
        if (auditHash(unsigned, this.chainKey) !== hash)
          return broken('hash does not match the event’s content');
        if (checkpoint !== null && String(row.seq) === checkpoint.seq && hash !== checkpoint.head) {
          return broken(`the event differs from the one the checkpoint of ${checkpoint.at} saw`);
        }
        expectedPrev = hash;
        expectedSeq += 1n;
        checked += 1;
      }
      if (rows.length < BATCH) break;
    }
    if (checkpoint !== null && BigInt(checked) < BigInt(checkpoint.seq)) {
      return {
        chain,
        checked,
        ok: false,
        unkeyed,
        firstBroken: {
          seq: String(checked + 1),
          id: null,
          reason: `events are missing: the checkpoint of ${checkpoint.at} saw ${checkpoint.seq}, the chain ends at ${checked}`,
        },
      };
    }
    return { chain, checked, ok: true, unkeyed, firstBroken: null };
  }

  /** A signed checkpoint of each chain's last event (of one chain when named; none if it is empty). */
  async checkpoints(chain: string | null = null): Promise<AuditCheckpoint[]> {
    const heads = await chainHeads(this.dataSource, chain);
    const at = new Date().toISOString();
    return heads.map((head) =>
      signCheckpoint({ chain: head.chain, seq: head.seq, head: head.hash, at }, this.checkpointKey),
    );
  }
}
