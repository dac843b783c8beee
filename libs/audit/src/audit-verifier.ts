import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditEvent } from './audit-event.entity';
import { auditHash } from './audit-hash';

export interface ChainReport {
  chain: string;
  checked: number;
  ok: boolean;
  /** The first event whose link does not hold, and why. */
  firstBroken: { seq: string; id: string; reason: string } | null;
}

const BATCH = 1000;

/** Recomputes a chain from its first event and reports the first link that does not hold. */
@Injectable()
export class AuditVerifier {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async verify(chain: string): Promise<ChainReport> {
    const repo = this.dataSource.getRepository(AuditEvent);
    let expectedPrev: string | null = null;
    let expectedSeq = 1n;
    let checked = 0;
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
          firstBroken: { seq: String(row.seq), id: row.id, reason },
        });
        if (BigInt(row.seq) !== expectedSeq)
          return broken(`expected seq ${expectedSeq}, found ${row.seq} (a gap)`);
        if (row.prevHash !== expectedPrev) return broken('prev_hash does not match the previous event');
        const { hash, ...unsigned } = row;
        if (auditHash(unsigned) !== hash) return broken('hash does not match the event’s content');
        expectedPrev = hash;
        expectedSeq += 1n;
        checked += 1;
      }
      if (rows.length < BATCH) return { chain, checked, ok: true, firstBroken: null };
    }
  }
}
