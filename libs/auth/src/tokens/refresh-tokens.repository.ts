// The refresh_tokens statements TypeORM's repository methods cannot say: an atomic claim.

import { type SqlRunner, updateReturning } from '@strata/storage';

/** A refresh token as a claim answers it. */
export interface ClaimedRefreshToken {
  id: string;
  familyId: string;
  userId: string;
  tenantId: string | null;
}

/**
 * Marks the live token with this hash used, in one statement, and answers it; null when there is
 * none (unknown, expired, already used, or its session revoked), so two concurrent refreshes
 * cannot both win.
 */
export async function claimRefreshToken(
  db: SqlRunner,
  tokenHash: string,
): Promise<ClaimedRefreshToken | null> {
  const [row] = await updateReturning<{
    id: string;
    family_id: string;
    user_id: string;
    tenant_id: string | null;
  }>(
    db,
    `UPDATE refresh_tokens t SET used_at = now()
     FROM sessions s
     WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > now()
       AND s.id = t.family_id AND s.revoked_at IS NULL
     RETURNING t.id, t.family_id, t.user_id, t.tenant_id`,
    [tokenHash],
  );
  return row ? { id: row.id, familyId: row.family_id, userId: row.user_id, tenantId: row.tenant_id } : null;
}
