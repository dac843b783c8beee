import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Columns that only carry content, never filtered, joined or sorted on by a query, get no planner
 * statistics (target 0): ANALYZE skips them instead of reading and measuring a sample of texts and
 * arrays (a third of its time on chunk_terms' posting arrays). The planner has nothing to use them
 * for. The vector store sets the same on its embedding column.
 */
const PAYLOAD_COLUMNS: Record<string, string[]> = {
  chunks: ['content'],
  chunk_terms: ['chunk_ids', 'tfs', 'chunk_lengths'],
  graph_entities: ['description', 'source_chunk_ids'],
  graph_entity_mentions: ['description'],
  graph_relations: ['description', 'source_chunk_ids'],
  graph_relation_mentions: ['description'],
};

export class PayloadColumnsWithoutStatistics1764700000000 implements MigrationInterface {
  name = 'PayloadColumnsWithoutStatistics1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await setStatistics(db, 0);
  }

  async down(db: QueryRunner): Promise<void> {
    await setStatistics(db, -1);
  }
}

async function setStatistics(db: QueryRunner, target: number): Promise<void> {
  for (const [table, columns] of Object.entries(PAYLOAD_COLUMNS)) {
    const changes = columns.map((column) => `ALTER COLUMN ${column} SET STATISTICS ${target}`);
    await db.query(`ALTER TABLE ${table} ${changes.join(', ')}`);
  }
}
