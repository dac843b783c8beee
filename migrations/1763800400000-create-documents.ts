import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Documents, their chunks (with the full-text index) and purge jobs. Vectors live behind the
 * vector port and own their schema (they may be in another database).
 */
export class CreateDocuments1763800400000 implements MigrationInterface {
  name = 'CreateDocuments1763800400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE documents (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        kb_id uuid NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
        title text NOT NULL,
        source_name text,
        mime_type text NOT NULL,
        size_bytes bigint NOT NULL,
        source_hash text NOT NULL,
        content_hash text,
        blob_key text NOT NULL,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'processing', 'processed', 'failed', 'deleting')),
        progress smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        error text,
        chunk_count integer NOT NULL DEFAULT 0,
        token_count integer NOT NULL DEFAULT 0,
        metadata jsonb NOT NULL DEFAULT '{}',
        attempts integer NOT NULL DEFAULT 0,
        lease_expires_at timestamptz,
        processed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX documents_kb_idx ON documents (tenant_id, kb_id, id)`);
    await db.query(`CREATE INDEX documents_kb_status_idx ON documents (tenant_id, kb_id, status, id)`);
    await db.query(`CREATE INDEX documents_source_hash_idx ON documents (tenant_id, kb_id, source_hash)`);
    await db.query(`
      CREATE UNIQUE INDEX documents_content_hash_idx ON documents (tenant_id, kb_id, content_hash)
      WHERE content_hash IS NOT NULL`);
    // The recovery sweep looks for unfinished work across tenants; it stays small.
    await db.query(`
      CREATE INDEX documents_unfinished_idx ON documents (status, lease_expires_at)
      WHERE status IN ('pending', 'processing', 'deleting')`);

    await db.query(`
      CREATE TABLE chunks (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        kb_id uuid NOT NULL,
        document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        ordinal integer NOT NULL,
        content text NOT NULL,
        token_count integer NOT NULL,
        heading text,
        tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (document_id, ordinal)
      )`);
    await db.query(`CREATE INDEX chunks_kb_document_idx ON chunks (tenant_id, kb_id, document_id, ordinal)`);
    await db.query(`CREATE INDEX chunks_tsv_idx ON chunks USING gin (tsv)`);

    await db.query(`
      CREATE TABLE purge_jobs (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        kb_id uuid,
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE purge_jobs');
    await db.query('DROP TABLE chunks');
    await db.query('DROP TABLE documents');
  }
}
