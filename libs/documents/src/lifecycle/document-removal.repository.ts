import type { DataSource, EntityManager } from 'typeorm';
import { updateReturning, withoutHiddenDocuments } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import { DocumentDeletions } from '../deletion/document-deletions.repository';
import { deleteChunkRows } from './chunk-rows.repository';

/**
 * The last step of a document's lifecycle in the `documents` and `chunks` tables: once the other
 * stores (graph, vectors, blob) have let go of a document marked `deleting`, its chunks, their
 * full-text postings and its row go. Every statement is scoped by tenant and KB.
 */
export class DocumentRemovalRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `limit` of the KB's documents marked for deletion, the longest marked first. */
  async deletingIds(scope: KbScope, limit: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM documents WHERE tenant_id = $1 AND kb_id = $2 AND status = 'deleting'
       ORDER BY updated_at, id LIMIT $3`,
      [scope.tenantId, scope.kbId, limit],
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /**
   * Removes a document marked `deleting`, its chunks and their postings, in one transaction that
   * also completes the receipts it was the last document of; a document in any other state keeps
   * everything.
   */
  async removeRows(scope: KbScope, documentId: string): Promise<void> {
    await this.dataSource.transaction(async (manager: EntityManager) => {
      const marked = await manager.query(
        `SELECT id FROM documents WHERE tenant_id = $1 AND kb_id = $2 AND id = $3 AND status = 'deleting'
         FOR UPDATE`,
        [scope.tenantId, scope.kbId, documentId],
      );
      if (marked.length === 0) return;
      await deleteChunkRows(manager, scope, documentId);
      await manager.query('DELETE FROM documents WHERE tenant_id = $1 AND kb_id = $2 AND id = $3', [
        scope.tenantId,
        scope.kbId,
        documentId,
      ]);
      await DocumentDeletions.completeWith(manager, scope, documentId);
    });
  }
}

/**
 * Marks every document of the KB not yet marked for deletion (the given ones, or all; never one
 * the scope hides), in the caller's transaction; answers their ids and titles. Their removal jobs are the caller's to enqueue after
 * the commit (the job runner's sweep queues any it missed).
 */
export async function markDocumentsDeleting(
  manager: EntityManager,
  scope: KbScope,
  ids: readonly string[] | 'all',
): Promise<Array<{ id: string; title: string }>> {
  const params: unknown[] = [scope.tenantId, scope.kbId, ids === 'all' ? null : [...ids]];
  return updateReturning<{ id: string; title: string }>(
    manager,
    `UPDATE documents SET status = 'deleting', lease_expires_at = NULL, updated_at = now()
     WHERE tenant_id = $1 AND kb_id = $2 AND status <> 'deleting' AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[]))
       ${withoutHiddenDocuments(scope, params, 'id')}
     RETURNING id, title`,
    params,
  );
}
