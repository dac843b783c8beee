import type { SqlRunner } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';

/** Who may see a document besides tenant admins: these groups and these members. */
export interface DocumentAccess {
  groupIds: string[];
  userIds: string[];
}

/** The KB's restricted documents with their lists (from the partial index of restricted documents). */
export async function restrictedDocuments(
  db: SqlRunner,
  scope: KbScope,
): Promise<Array<DocumentAccess & { id: string }>> {
  return (await db.query(
    `SELECT id, access_group_ids AS "groupIds", access_user_ids AS "userIds" FROM documents
     WHERE tenant_id = $1 AND kb_id = $2 AND access_restricted`,
    [scope.tenantId, scope.kbId],
  )) as Array<DocumentAccess & { id: string }>;
}
