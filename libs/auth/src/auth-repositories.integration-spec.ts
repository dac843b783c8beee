import { randomUUID } from 'node:crypto';
import type { SqlClient } from '@strata/storage';
import { describeOnEachDatabase } from '../../../test/support/migrated-sql';
import { claimRefreshToken } from './tokens/refresh-tokens.repository';
import { disableUsers, enableUser } from './users/users.repository';

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

async function insertRefreshToken(sql: SqlClient, userId: string, expiresInSeconds: number): Promise<string> {
  const hash = `hash-${randomUUID()}`;
  await sql.query(
    `INSERT INTO refresh_tokens (id, token_hash, family_id, user_id, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
    [randomUUID(), hash, randomUUID(), userId, expiresInSeconds],
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
});
