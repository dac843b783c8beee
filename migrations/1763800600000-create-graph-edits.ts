import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What editors changed in a KB's graph, kept apart from the mentions so that extraction never
 * overwrites it: field overrides of entities and relations, and aliases left by merging one
 * entity into another (later mentions of the alias go to the entity it was merged into).
 */
export class CreateGraphEdits1763800600000 implements MigrationInterface {
  name = 'CreateGraphEdits1763800600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE graph_entity_edits (
        tenant_id uuid NOT NULL,
        kb_id uuid NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
        entity_key text NOT NULL,
        name text,
        type text,
        description text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, kb_id, entity_key)
      )`);
    await db.query(`
      CREATE TABLE graph_relation_edits (
        tenant_id uuid NOT NULL,
        kb_id uuid NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
        source_key text NOT NULL,
        target_key text NOT NULL,
        keywords text,
        description text,
        weight double precision,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, kb_id, source_key, target_key)
      )`);
    await db.query(`
      CREATE TABLE graph_entity_aliases (
        tenant_id uuid NOT NULL,
        kb_id uuid NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
        alias_key text NOT NULL,
        entity_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, kb_id, alias_key)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE graph_entity_aliases');
    await db.query('DROP TABLE graph_relation_edits');
    await db.query('DROP TABLE graph_entity_edits');
  }
}
