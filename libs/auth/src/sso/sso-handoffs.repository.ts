// The sso_handoffs statements TypeORM's repository methods cannot say.

import { type SqlRunner, updateReturning } from '@strata/storage';

/**
 * Marks a live hand-off redeemed, atomically, and answers it: of two redemptions of one code,
 * one wins. Unknown, used and expired codes answer null.
 */
export async function claimSsoHandoff(
  db: SqlRunner,
  codeHash: string,
): Promise<{ userId: string; tenantId: string | null; providerId: string } | null> {
  const [row] = await updateReturning<{ user_id: string; tenant_id: string | null; provider_id: string }>(
    db,
    `UPDATE sso_handoffs SET redeemed_at = now()
     WHERE code_hash = $1 AND redeemed_at IS NULL AND expires_at > now()
     RETURNING user_id, tenant_id, provider_id`,
    [codeHash],
  );
  return row ? { userId: row.user_id, tenantId: row.tenant_id, providerId: row.provider_id } : null;
}

/** Drops hand-offs that expired over an hour ago (kept that long for a look at what happened). */
export async function forgetExpiredSsoHandoffs(db: SqlRunner): Promise<void> {
  await db.query(`DELETE FROM sso_handoffs WHERE expires_at < now() - interval '1 hour'`);
}
