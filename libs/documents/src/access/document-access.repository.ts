import type { SqlRunner } from '@strata/storage';
import { GroupsRepository } from '@strata/tenants';
import type { KbScope, TenantContext } from '@strata/tenancy';
import type { AccessCaller, DocumentAccess } from './access-list';

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

/** The context's caller as access lists name them: their user id (none for an API key) and groups. */
export async function accessCallerOf(db: SqlRunner, context: TenantContext): Promise<AccessCaller> {
  const { principal } = context;
  return {
    userId: principal.type === 'user' ? principal.id : null,
    groupIds: new Set(await GroupsRepository.groupsOf(db, context.scope(), principal)),
  };
}
