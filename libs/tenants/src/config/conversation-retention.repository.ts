import type { SqlRunner } from '@strata/storage';

/** A tenant that keeps conversation turns for a number of days. */
export interface ConversationRetention {
  tenantId: string;
  days: number;
}

/**
 * The tenants that set `conversations.retention_days`, for the job that enforces it (a tenant
 * being deleted is left to its purge).
 */
export async function conversationRetentions(db: SqlRunner): Promise<ConversationRetention[]> {
  const rows = (await db.query(
    `SELECT id, (config -> 'conversations' ->> 'retention_days')::int AS days FROM tenants
     WHERE status <> 'deleting' AND jsonb_typeof(config -> 'conversations' -> 'retention_days') = 'number'
     ORDER BY id`,
  )) as Array<{ id: string; days: number }>;
  return rows.map((row) => ({ tenantId: row.id, days: row.days }));
}
