import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The knowledge graph becomes a second stage: a document is searchable once its chunks and
 * vectors are in (`status` processed) and its graph is built behind it by a per-KB job
 * (`graph_status`). `graph_attempts` identifies a graph job's claim on a document the way
 * `attempts` identifies an ingest job's; `graph_builds` holds the one lease per KB that keeps two
 * graph jobs from merging into the same KB at once.
 */
export class AddGraphStage1764500000000 implements MigrationInterface {
  name = 'AddGraphStage1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE documents
        ADD COLUMN graph_status text NOT NULL DEFAULT 'pending'
          CHECK (graph_status IN ('pending', 'building', 'done', 'failed', 'skipped')),
        ADD COLUMN graph_error text,
        ADD COLUMN graph_attempts integer NOT NULL DEFAULT 0`);
    // Documents processed before this change had their graph built during ingestion.
    await db.query(`
      UPDATE documents d SET graph_status = CASE
          WHEN coalesce(k.config -> 'extraction' ->> 'enabled', 'true') = 'false' THEN 'skipped'
          ELSE 'done' END
      FROM knowledge_bases k
      WHERE k.id = d.kb_id AND k.tenant_id = d.tenant_id AND d.status = 'processed'`);
    // The graph job's next batch, and the recovery sweep's search for KBs with graph work.
    await db.query(`
      CREATE INDEX documents_graph_unfinished_idx ON documents (tenant_id, kb_id, processed_at, id)
      WHERE status = 'processed' AND graph_status IN ('pending', 'building')`);
    await db.query(`
      CREATE TABLE graph_builds (
        tenant_id uuid NOT NULL,
        kb_id uuid NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
        attempt integer NOT NULL DEFAULT 1,
        lease_expires_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, kb_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE graph_builds');
    await db.query('DROP INDEX documents_graph_unfinished_idx');
    await db.query(
      'ALTER TABLE documents DROP COLUMN graph_attempts, DROP COLUMN graph_error, DROP COLUMN graph_status',
    );
  }
}
