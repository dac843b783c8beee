import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import type { SqlClient } from '@strata/storage';
import { MIGRATIONS } from '@strata/migrations';
import { openMigratedSqlClient } from '../test/support/migrated-sql';
import type { TestDatabaseKind } from '../test/support/test-database';
import { CreateSessions1765500000000 } from './1765500000000-create-sessions';

const migration = new CreateSessions1765500000000();
const asRunner = (db: SqlClient) => db as unknown as QueryRunner;

/** A user with two refresh families as they were before sessions: one live, one revoked. */
async function familiesBeforeSessions(db: SqlClient) {
  const userId = randomUUID();
  await db.query(`INSERT INTO users (id, email, password_hash) VALUES ($1, $2, 'x')`, [
    userId,
    `${userId}@example.test`,
  ]);
  const [live, revoked] = [randomUUID(), randomUUID()];
  const token = (family: string, created: string, used: boolean, revokedAt: string | null) =>
    db.query(
      `INSERT INTO refresh_tokens (id, token_hash, family_id, user_id, expires_at, used_at, revoked_at, created_at)
       VALUES ($1, $2, $3, $4, $5::timestamptz + interval '30 days', $6, $7, $5)`,
      [randomUUID(), randomUUID(), family, userId, created, used ? created : null, revokedAt],
    );
  await token(live, '2026-11-01T10:00:00Z', true, null);
  await token(live, '2026-11-02T10:00:00Z', false, null);
  await token(revoked, '2026-11-03T10:00:00Z', true, '2026-11-04T10:00:00Z');
  await token(revoked, '2026-11-04T09:00:00Z', false, '2026-11-04T10:00:00Z');
  return { userId, live, revoked };
}

function migrationSuite(kind: TestDatabaseKind, skipReason?: string): void {
  const describeOrSkip = skipReason ? describe.skip : describe;
  if (skipReason) process.stdout.write(`SKIPPING sessions migration on ${kind}: ${skipReason}\n`);
  describeOrSkip(`sessions migration (${kind})`, () => {
    let db: SqlClient;
    beforeAll(async () => {
      db = await openMigratedSqlClient(kind, MIGRATIONS.indexOf(CreateSessions1765500000000));
    });
    afterAll(() => db.close());

    it('makes each refresh family a session, revoked when its tokens were, and back', async () => {
      const { userId, live, revoked } = await familiesBeforeSessions(db);
      await migration.up(asRunner(db));

      const sessions = await db.query<Record<string, unknown>>(
        `SELECT id, user_id, created_at::text AS created, last_used_at::text AS last_used,
           revoked_at IS NOT NULL AS revoked, revoked_reason
         FROM sessions WHERE user_id = $1 ORDER BY created_at`,
        [userId],
      );
      const at = (iso: string) => new Date(iso).getTime();
      expect(sessions.map((s) => [s.id, s.revoked, s.revoked_reason])).toEqual([
        [live, false, null],
        [revoked, true, 'revoked'],
      ]);
      expect(at(sessions[0].created as string)).toBe(at('2026-11-01T10:00:00Z'));
      expect(at(sessions[0].last_used as string)).toBe(at('2026-11-02T10:00:00Z'));
      // A refresh token now belongs to a session: deleting the session takes its tokens.
      await expect(
        db.query(
          `INSERT INTO refresh_tokens (id, token_hash, family_id, user_id, expires_at)
           VALUES ($1, $2, $3, $4, now())`,
          [randomUUID(), randomUUID(), randomUUID(), userId],
        ),
      ).rejects.toThrow(/refresh_tokens_session_fk/);

      await migration.down(asRunner(db));
      const tokens = await db.query<{ family_id: string; revoked: boolean }>(
        `SELECT family_id, bool_and(revoked_at IS NOT NULL) AS revoked FROM refresh_tokens
         WHERE user_id = $1 GROUP BY family_id ORDER BY min(created_at)`,
        [userId],
      );
      expect(tokens).toEqual([
        { family_id: live, revoked: false },
        { family_id: revoked, revoked: true },
      ]);
      await migration.up(asRunner(db));
    });
  });
}

migrationSuite('embedded');
migrationSuite('postgres', process.env.STRATA_PG_UNAVAILABLE);
