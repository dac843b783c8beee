import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deletion receipts: every delete request records the documents it took, who asked and when, so
 * that anyone allowed can later ask each store what is left of them. The removal job marks a
 * receipt complete once none of its documents has a row left (the row goes last, after the graph,
 * vectors and blob); the status route checks every store again whenever it is asked.
 */
export class DocumentDeletions1766800000000 implements MigrationInterface {
  name = 'DocumentDeletions1766800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE document_deletions (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        kb_id uuid NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
        document_ids uuid[] NOT NULL,
        requested_by_type text NOT NULL CHECK (requested_by_type IN ('user', 'api_key', 'system')),
        requested_by_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await db.query(`CREATE INDEX document_deletions_kb_idx ON document_deletions (tenant_id, kb_id, id)`);
    await db.query(
      `CREATE INDEX document_deletions_open_idx ON document_deletions (tenant_id, kb_id) WHERE completed_at IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE document_deletions');
  }
}
