import { newId } from '@strata/core';
import type { SqlRunner } from '@strata/storage';
import type { KbScope, Principal } from '@strata/tenancy';

/** A delete request's record: which documents it took, for whom, and when the last row went. */
export interface DocumentDeletion {
  id: string;
  documentIds: string[];
  requestedBy: { type: Principal['type']; id: string };
  createdAt: Date;
  completedAt: Date | null;
}

interface DeletionRow {
  id: string;
  document_ids: string[];
  requested_by_type: Principal['type'];
  requested_by_id: string;
  created_at: Date;
  completed_at: Date | null;
}

/** What is left of some documents in the tables the documents library owns. */
export interface RemainingRows {
  documents: number;
  chunks: number;
}

/** The document_deletions table: receipts of delete requests, each scoped by tenant and KB. */
export const DocumentDeletions = {
  /** Records a request deleting these documents (in the caller's transaction); answers its id. */
  async record(
    db: SqlRunner,
    scope: KbScope,
    documentIds: readonly string[],
    by: Principal,
  ): Promise<string> {
    const id = newId();
    await db.query(
      `INSERT INTO document_deletions (id, tenant_id, kb_id, document_ids, requested_by_type, requested_by_id)
       VALUES ($1, $2, $3, $4::uuid[], $5, $6)`,
      [id, scope.tenantId, scope.kbId, [...documentIds], by.type, by.id],
    );
    return id;
  },

  async find(db: SqlRunner, scope: KbScope, id: string): Promise<DocumentDeletion | null> {
    const [row] = (await db.query(
      `SELECT id, document_ids::text[] AS document_ids, requested_by_type, requested_by_id, created_at, completed_at
       FROM document_deletions WHERE tenant_id = $1 AND kb_id = $2 AND id = $3`,
      [scope.tenantId, scope.kbId, id],
    )) as DeletionRow[];
    return row === undefined
      ? null
      : {
          id: row.id,
          documentIds: row.document_ids,
          requestedBy: { type: row.requested_by_type, id: row.requested_by_id },
          createdAt: new Date(row.created_at),
          completedAt: row.completed_at === null ? null : new Date(row.completed_at),
        };
  },

  /**
   * Marks complete the KB's open receipts naming this document none of whose documents has a row
   * left; run in the transaction that removes the document's row, so that a receipt whose rows are
   * all gone always has its completion time.
   */
  async completeWith(db: SqlRunner, scope: KbScope, documentId: string): Promise<void> {
    await db.query(
      `UPDATE document_deletions r SET completed_at = now()
       WHERE r.tenant_id = $1 AND r.kb_id = $2 AND r.completed_at IS NULL AND $3::uuid = ANY (r.document_ids)
         AND NOT EXISTS (
           SELECT 1 FROM documents d
           WHERE d.tenant_id = $1 AND d.kb_id = $2 AND d.id = ANY (r.document_ids)
         )`,
      [scope.tenantId, scope.kbId, documentId],
    );
  },

  /** Rows these documents still have: their own and their chunks'. */
  async remainingRows(db: SqlRunner, scope: KbScope, documentIds: readonly string[]): Promise<RemainingRows> {
    const params = [scope.tenantId, scope.kbId, [...documentIds]];
    const [row] = (await db.query(
      `SELECT
         (SELECT count(*) FROM documents WHERE tenant_id = $1 AND kb_id = $2 AND id = ANY ($3::uuid[])) AS documents,
         (SELECT count(*) FROM chunks WHERE tenant_id = $1 AND kb_id = $2 AND document_id = ANY ($3::uuid[])) AS chunks`,
      params,
    )) as Array<{ documents: string; chunks: string }>;
    return { documents: Number(row!.documents), chunks: Number(row!.chunks) };
  },
};
