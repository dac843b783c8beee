import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { KbScope } from '@strata/tenancy';
import type { SqlClient } from '@strata/storage';
import { testKbScope } from './scopes';

/**
 * Rows a storage-level test needs beneath its own, written straight to a migrated database (see
 * openMigratedSqlClient): a KB in a tenant (new unless given), a processed document in a KB, and
 * a chunk of a document.
 */
export async function insertKb(db: SqlClient, tenantId: string = randomUUID()): Promise<KbScope> {
  await db.query(`INSERT INTO tenants (id, slug, name) VALUES ($1, $2, 'T') ON CONFLICT DO NOTHING`, [
    tenantId,
    `t-${tenantId.slice(0, 8)}`,
  ]);
  const kbId = randomUUID();
  await db.query(`INSERT INTO knowledge_bases (id, tenant_id, slug, name) VALUES ($1, $2, $3, 'K')`, [
    kbId,
    tenantId,
    `k-${kbId.slice(0, 8)}`,
  ]);
  return testKbScope(tenantId, kbId);
}

export function insertProcessedDocument(db: SqlClient, kb: KbScope): Promise<string> {
  return insertDocument(db, kb, 'processed');
}

/** A document of the KB in `status`, with no original, chunks or content hash. */
export async function insertDocument(db: SqlClient, kb: KbScope, status: string): Promise<string> {
  const documentId = randomUUID();
  await db.query(
    `INSERT INTO documents (id, tenant_id, kb_id, title, mime_type, size_bytes, source_hash, blob_key, status)
     VALUES ($1, $2, $3, 'D', 'text/plain', 1, $4, $4, $5)`,
    [documentId, kb.tenantId, kb.kbId, `hash-${documentId}`, status],
  );
  return documentId;
}

/** A chunk of the document at `ordinal` (unique per document), without full-text postings. */
export async function insertChunk(
  db: SqlClient,
  kb: KbScope,
  documentId: string,
  ordinal: number,
  content = 'text',
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO chunks (id, tenant_id, kb_id, document_id, ordinal, content, token_count)
     VALUES ($1, $2, $3, $4, $5, $6, 1)`,
    [id, kb.tenantId, kb.kbId, documentId, ordinal, content],
  );
  return id;
}

/**
 * A migrated database as the DataSource of a repository that uses only `query` and `transaction`:
 * the real database answers the statements; the transaction runs them on the same connection (its
 * atomicity is TypeORM's).
 */
export const sqlAsDataSource = (sql: SqlClient): DataSource =>
  ({
    query: (text: string, params?: unknown[]) => sql.query(text, params),
    transaction: (work: (manager: SqlClient) => Promise<unknown>) => work(sql),
  }) as unknown as DataSource;
