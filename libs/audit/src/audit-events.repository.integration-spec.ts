import { randomUUID } from 'node:crypto';
import type { SqlClient } from '@strata/storage';
import { describeOnEachDatabase } from '../../../test/support/migrated-sql';
import { chainHeads, lockChainHead } from './audit-events.repository';

const hashOf = (text: string) => text.padEnd(64, '0');

async function appendEvent(sql: SqlClient, chain: string, seq: number): Promise<void> {
  await sql.query(
    `INSERT INTO audit_events (id, chain, seq, at, actor_type, action, outcome, hash, hash_version)
     VALUES ($1, $2, $3, now(), 'system', 'test.event', 'success', $4, 2)`,
    [randomUUID(), chain, seq, hashOf(`${chain}-${seq}`)],
  );
}

describeOnEachDatabase('the audit_events chain heads', (db) => {
  let sql: SqlClient;
  const [first, second, empty] = [randomUUID(), randomUUID(), randomUUID()];

  beforeAll(async () => {
    sql = db();
    // Past 9 events, so that a head read in text order ('9' after '10') would show.
    for (let seq = 1; seq <= 12; seq++) await appendEvent(sql, first, seq);
    await appendEvent(sql, second, 1);
  });

  it("reads a chain's last event under its append lock; a new chain has none", async () => {
    expect(await lockChainHead(sql, first)).toEqual({ seq: 12n, hash: hashOf(`${first}-12`) });
    expect(await lockChainHead(sql, empty)).toBeNull();
  });

  it("answers every chain's head, or the named chain's only", async () => {
    const byChain = (a: { chain: string }, b: { chain: string }) => (a.chain < b.chain ? -1 : 1);
    const heads = await chainHeads(sql, null);
    expect(heads.filter((h) => h.chain === first || h.chain === second).sort(byChain)).toEqual(
      [
        { chain: first, seq: '12', hash: hashOf(`${first}-12`) },
        { chain: second, seq: '1', hash: hashOf(`${second}-1`) },
      ].sort(byChain),
    );
    expect(await chainHeads(sql, second)).toEqual([{ chain: second, seq: '1', hash: hashOf(`${second}-1`) }]);
    expect(await chainHeads(sql, empty)).toEqual([]);
  });
});
