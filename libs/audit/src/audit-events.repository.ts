// The audit_events statements the append-only chains need beyond TypeORM's insert: the locked read
// of a chain's head before appending, and every chain's head for signed checkpoints. A chain is a
// tenant's id (or the platform's chain), the scope of its events.

import type { SqlRunner } from '@strata/storage';

/** The last event of a chain: its sequence number and hash. */
export interface ChainHead {
  seq: bigint;
  hash: string;
}

/**
 * Takes the chain's append lock for the rest of the caller's transaction (one writer per chain at
 * a time, so two events never claim the same predecessor) and answers its last event; null for a
 * chain with none yet.
 */
export async function lockChainHead(db: SqlRunner, chain: string): Promise<ChainHead | null> {
  await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7))', [chain]);
  const rows = (await db.query(
    'SELECT seq, hash FROM audit_events WHERE chain = $1 ORDER BY seq DESC LIMIT 1',
    [chain],
  )) as Array<{ seq: string | number; hash: string }>;
  return rows.length === 0 ? null : { seq: BigInt(rows[0].seq), hash: rows[0].hash };
}

/**
 * The last event of every chain, or of the named one (none when it is empty), by chain. The order
 * names the table's column: a bare `seq` would be the text alias, and '9' sorts after '10'.
 */
export async function chainHeads(
  db: SqlRunner,
  chain: string | null,
): Promise<Array<{ chain: string; seq: string; hash: string }>> {
  return (await db.query(
    `SELECT DISTINCT ON (chain) chain, seq::text AS seq, hash FROM audit_events
      WHERE $1::text IS NULL OR chain = $1 ORDER BY chain, audit_events.seq DESC`,
    [chain],
  )) as Array<{ chain: string; seq: string; hash: string }>;
}
