import type { DataSource, EntityManager } from 'typeorm';
import type { KbScope } from '@strata/tenancy';
import { deleteChunkRows } from './chunk-rows.repository';

/**
 * The last step of a document's lifecycle in the `documents` and `chunks` tables: once the other
 * stores (graph, vectors, blob) have let go of a document marked `deleting`, its chunks, their
 * full-text postings and its row go. Every statement is scoped by tenant and KB.
 */
export class DocumentRemovalRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Whether the document is marked for deletion (a missing one is not). */
  async isDeleting(scope: KbScope, documentId: string): Promise<boolean> {
    const [row] = await this.dataSource.query(
      'SELECT status FROM documents WHERE tenant_id = $1 AND kb_id = $2 AND id = $3',
      [scope.tenantId, scope.kbId, documentId],
    );
    return row?.status === 'deleting';
  }

  /**
   * Removes a document marked `deleting`, its chunks and their postings, in one transaction;
   * a document in any other state keeps everything.
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
    });
  }
}
