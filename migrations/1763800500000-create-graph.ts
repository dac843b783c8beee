import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The knowledge graph. `graph_*_mentions` are the system of record: what extraction found in each
 * chunk, removed with their document. `graph_entities` and `graph_relations` are the merged graph
 * the PostgreSQL graph adapter serves (Neo4j keeps its own); like vectors, they are purged by the
 * purge job when a KB or tenant goes. A relation is undirected: its keys are stored in byte order
 * (COLLATE "C", as JavaScript compares them), smaller first.
 */
export class CreateGraph1763800500000 implements MigrationInterface {
  name = 'CreateGraph1763800500000';

  async up(db: QueryRunner): Promise<void> {
    // Bumped by every change to a KB's mentions; merges compare it to detect a concurrent change.
    await db.query(`ALTER TABLE knowledge_bases ADD COLUMN graph_version bigint NOT NULL DEFAULT 0`);
    await db.query(`
      CREATE TABLE graph_entity_mentions (
        tenant_id uuid NOT NULL,
        kb_id uuid NOT NULL,
        document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        chunk_id uuid NOT NULL,
        entity_key text NOT NULL,
        name text NOT NULL,
        type text NOT NULL,
        description text NOT NULL,
        PRIMARY KEY (tenant_id, kb_id, entity_key, chunk_id)
      )`);
    await db.query(
      `CREATE INDEX graph_entity_mentions_document_idx ON graph_entity_mentions (tenant_id, kb_id, document_id)`,
    );
    await db.query(`
      CREATE TABLE graph_relation_mentions (
        tenant_id uuid NOT NULL,
        kb_id uuid NOT NULL,
        document_id uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        chunk_id uuid NOT NULL,
        source_key text NOT NULL,
        target_key text NOT NULL,
        keywords text NOT NULL,
        description text NOT NULL,
        weight double precision NOT NULL,
        PRIMARY KEY (tenant_id, kb_id, source_key, target_key, chunk_id),
        CHECK (source_key < target_key COLLATE "C")
      )`);
    await db.query(
      `CREATE INDEX graph_relation_mentions_document_idx ON graph_relation_mentions (tenant_id, kb_id, document_id)`,
    );

    await db.query(`
      CREATE TABLE graph_entities (
        tenant_id uuid NOT NULL,
        kb_id uuid NOT NULL,
        key text NOT NULL,
        id uuid NOT NULL,
        name text NOT NULL,
        type text NOT NULL,
        description text NOT NULL,
        source_chunk_ids uuid[] NOT NULL DEFAULT '{}',
        degree integer NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, kb_id, key)
      )`);
    await db.query(`CREATE UNIQUE INDEX graph_entities_id_idx ON graph_entities (tenant_id, kb_id, id)`);
    await db.query(
      `CREATE INDEX graph_entities_degree_idx ON graph_entities (tenant_id, kb_id, degree DESC, key)`,
    );
    await db.query(`
      CREATE TABLE graph_relations (
        tenant_id uuid NOT NULL,
        kb_id uuid NOT NULL,
        source_key text NOT NULL,
        target_key text NOT NULL,
        id uuid NOT NULL,
        keywords text NOT NULL,
        description text NOT NULL,
        weight double precision NOT NULL,
        source_chunk_ids uuid[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (tenant_id, kb_id, source_key, target_key),
        CHECK (source_key < target_key COLLATE "C")
      )`);
    await db.query(`CREATE UNIQUE INDEX graph_relations_id_idx ON graph_relations (tenant_id, kb_id, id)`);
    await db.query(
      `CREATE INDEX graph_relations_target_idx ON graph_relations (tenant_id, kb_id, target_key)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE graph_relations');
    await db.query('DROP TABLE graph_entities');
    await db.query('DROP TABLE graph_relation_mentions');
    await db.query('DROP TABLE graph_entity_mentions');
    await db.query('ALTER TABLE knowledge_bases DROP COLUMN graph_version');
  }
}
