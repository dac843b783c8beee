import { randomUUID } from 'node:crypto';
import type { SqlClient } from '@strata/storage';
import { describeOnEachDatabase } from '../../../test/support/migrated-sql';
import { claimPasswordReset, revokePasswordResets } from './accounts/accounts.repository';
import { liveSessionAccount, revokeSessions } from './sessions/sessions.repository';
import { claimRefreshToken } from './tokens/refresh-tokens.repository';
import { disableUser, disableUsers, enableUser } from './users/users.repository';

async function insertUser(sql: SqlClient, platformAdmin = false): Promise<string> {
  const id = randomUUID();
  await sql.query('INSERT INTO users (id, email, password_hash, platform_admin) VALUES ($1, $2, $3, $4)', [
    id,
    `${id}@example.com`,
    'hash',
    platformAdmin,
  ]);
  return id;
}

async function insertSession(sql: SqlClient, userId: string): Promise<string> {
  const id = randomUUID();
  await sql.query(
    `INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, now() + interval '1 day')`,
    [id, userId],
  );
  return id;
}

async function insertRefreshToken(
  sql: SqlClient,
  userId: string,
  expiresInSeconds: number,
  sessionId?: string,
): Promise<string> {
  const hash = `hash-${randomUUID()}`;
  await sql.query(
    `INSERT INTO refresh_tokens (id, token_hash, family_id, user_id, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
    [randomUUID(), hash, sessionId ?? (await insertSession(sql, userId)), userId, expiresInSeconds],
  );
  return hash;
}

describeOnEachDatabase('the auth statements beside the TypeORM repositories', (db) => {
  let sql: SqlClient;
  beforeAll(() => {
    sql = db();
  });

  it('disables accounts but never a platform admin, and answers only the ones it changed', async () => {
    const [member, admin] = [await insertUser(sql), await insertUser(sql, true)];
    expect(await disableUsers(sql, [member, admin])).toEqual([member]);
    expect(await disableUsers(sql, [member])).toEqual([]);
    expect(await disableUsers(sql, [])).toEqual([]);
    expect(await enableUser(sql, member)).toBe(true);
    expect(await enableUser(sql, member)).toBe(false);
  });

  it('claims a live refresh token once; an expired or unknown one is not claimed', async () => {
    const userId = await insertUser(sql);
    const live = await insertRefreshToken(sql, userId, 3600);
    const expired = await insertRefreshToken(sql, userId, -1);
    expect(await claimRefreshToken(sql, live)).toMatchObject({ userId, tenantId: null });
    expect(await claimRefreshToken(sql, live)).toBeNull();
    expect(await claimRefreshToken(sql, expired)).toBeNull();
    expect(await claimRefreshToken(sql, 'hash-unknown')).toBeNull();
  });

  it('refuses a refresh token once its session ended', async () => {
    const userId = await insertUser(sql);
    const session = await insertSession(sql, userId);
    const token = await insertRefreshToken(sql, userId, 3600, session);
    await revokeSessions(sql, 'logout', { userIds: [userId], sessionId: session });
    expect(await claimRefreshToken(sql, token)).toBeNull();
  });

  it('answers the account of a live session of its user only, and none once ended or disabled', async () => {
    const [userId, other] = [await insertUser(sql), await insertUser(sql)];
    const session = await insertSession(sql, userId);
    expect(await liveSessionAccount(sql, session, userId)).toEqual({
      id: userId,
      email: `${userId}@example.com`,
      platformAdmin: false,
      signInMethod: 'password',
    });
    expect(await liveSessionAccount(sql, session, other)).toBeNull();
    await disableUsers(sql, [userId]);
    expect(await liveSessionAccount(sql, session, userId)).toBeNull();
    await enableUser(sql, userId);
    await revokeSessions(sql, 'revoked', { userIds: [userId], sessionId: session });
    expect(await liveSessionAccount(sql, session, userId)).toBeNull();
  });

  it('ends one session, or all but one, of the given users only, answering those it ended', async () => {
    const [userId, other] = [await insertUser(sql), await insertUser(sql)];
    const [a, b, c] = [
      await insertSession(sql, userId),
      await insertSession(sql, userId),
      await insertSession(sql, userId),
    ];
    const theirs = await insertSession(sql, other);
    // Another user's session is not found through this user.
    expect(await revokeSessions(sql, 'revoked', { userIds: [userId], sessionId: theirs })).toEqual([]);
    expect(await revokeSessions(sql, 'revoked', { userIds: [userId], sessionId: a })).toEqual([
      { id: a, tenantId: null, userId },
    ]);
    expect(await revokeSessions(sql, 'revoked', { userIds: [userId], sessionId: a })).toEqual([]);
    const rest = await revokeSessions(sql, 'password_changed', { userIds: [userId], keep: c });
    expect(rest.map((r) => r.id)).toEqual([b]);
    expect(
      await sql.query('SELECT id, revoked_reason FROM sessions WHERE user_id = $1 ORDER BY revoked_reason', [
        userId,
      ]),
    ).toEqual(
      expect.arrayContaining([
        { id: a, revoked_reason: 'revoked' },
        { id: b, revoked_reason: 'password_changed' },
        { id: c, revoked_reason: null },
      ]),
    );
    expect(await liveSessionAccount(sql, theirs, other)).not.toBeNull();
    expect(await revokeSessions(sql, 'revoked', { userIds: [] })).toEqual([]);
  });

  it('claims a password reset once, never an expired or revoked one', async () => {
    const userId = await insertUser(sql);
    const reset = async (expiresInSeconds: number) => {
      const hash = randomUUID().replace(/-/g, '').padEnd(64, '0');
      await sql.query(
        `INSERT INTO password_resets (id, user_id, token_hash, issued_by, expires_at)
         VALUES ($1, $2, $3, 'system:cli', now() + make_interval(secs => $4))`,
        [randomUUID(), userId, hash, expiresInSeconds],
      );
      return hash;
    };
    const [live, expired] = [await reset(3600), await reset(-1)];
    expect(await claimPasswordReset(sql, live)).toBe(userId);
    expect(await claimPasswordReset(sql, live)).toBeNull();
    expect(await claimPasswordReset(sql, expired)).toBeNull();
    const replaced = await reset(3600);
    // The used one stays used; the expired one and the live one are revoked.
    expect(await revokePasswordResets(sql, userId)).toBe(2);
    expect(await claimPasswordReset(sql, replaced)).toBeNull();
  });

  it('disables any one account, a platform admin too, answering whether it changed', async () => {
    const admin = await insertUser(sql, true);
    expect(await disableUser(sql, admin)).toBe(true);
    expect(await disableUser(sql, admin)).toBe(false);
    expect(await disableUser(sql, randomUUID())).toBe(false);
  });
});
