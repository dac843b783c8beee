import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Entities and relations an editor created or deleted. `created`: the edit's own fields make the
 * entity (name, type, description) or relation (keywords, description, weight) even where no
 * document mentions it. `deleted`: it is left out of the graph whatever mentions it, through
 * re-ingestion, until an editor creates it again. Both are kept when its mentions go.
 */
export class GraphCuration1766300000000 implements MigrationInterface {
  name = 'GraphCuration1766300000000';

  async up(db: QueryRunner): Promise<void> {
    for (const table of ['graph_entity_edits', 'graph_relation_edits'])
      await db.query(
        `ALTER TABLE ${table} ADD COLUMN created boolean NOT NULL DEFAULT false,
           ADD COLUMN deleted boolean NOT NULL DEFAULT false`,
      );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['graph_entity_edits', 'graph_relation_edits'])
      await db.query(`ALTER TABLE ${table} DROP COLUMN created, DROP COLUMN deleted`);
  }
}
