// The sessions statements TypeORM's repository methods cannot say: the per-request check joined
// with the account, and revocations that answer what they ended.

import { type SqlRunner, updateReturning } from '@strata/storage';
import type { SignInMethod } from '@strata/tenancy';
import type { SessionEndReason } from './session.entity';

/** The account behind a live session, as each request's check reads it. */
export interface SessionAccount {
  id: string;
  email: string;
  platformAdmin: boolean;
  signInMethod: SignInMethod;
}

/**
 * The account of `userId` if `sessionId` is one of its live sessions and the account is enabled;
 * null otherwise. One statement, so an access token costs one read however it fails.
 */
export async function liveSessionAccount(
  db: SqlRunner,
  sessionId: string,
  userId: string,
): Promise<SessionAccount | null> {
  const [row] = (await db.query(
    `SELECT u.id, u.email, u.platform_admin, s.sign_in_method FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND u.disabled_at IS NULL`,
    [sessionId, userId],
  )) as Array<{ id: string; email: string; platform_admin: boolean; sign_in_method: SignInMethod }>;
  return row
    ? { id: row.id, email: row.email, platformAdmin: row.platform_admin, signInMethod: row.sign_in_method }
    : null;
}

/**
 * Ends the user's live sessions (all, or only `sessionId`), except `keep`; answers the ids it
 * ended, each with the tenant it was bound to.
 */
export async function revokeSessions(
  db: SqlRunner,
  reason: SessionEndReason,
  filter: { userIds: readonly string[]; sessionId?: string; keep?: string },
): Promise<Array<{ id: string; tenantId: string | null; userId: string }>> {
  if (filter.userIds.length === 0) return [];
  const rows = await updateReturning<{ id: string; tenant_id: string | null; user_id: string }>(
    db,
    `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
     WHERE user_id = ANY($1::uuid[]) AND revoked_at IS NULL
       AND ($3::uuid IS NULL OR id = $3) AND ($4::uuid IS NULL OR id <> $4)
     RETURNING id, tenant_id, user_id`,
    [[...filter.userIds], reason, filter.sessionId ?? null, filter.keep ?? null],
  );
  return rows.map((row) => ({ id: row.id, tenantId: row.tenant_id, userId: row.user_id }));
}

/** A refresh moved the session on: used now, renewable until its new refresh token expires. */
export async function touchSession(db: SqlRunner, sessionId: string, expiresAt: Date): Promise<void> {
  await db.query(`UPDATE sessions SET last_used_at = now(), expires_at = $2 WHERE id = $1`, [
    sessionId,
    expiresAt,
  ]);
}
