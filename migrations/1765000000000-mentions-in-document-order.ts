import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The mention tables' primary keys gain the document before the chunk. A chunk belongs to one
 * document, so what is unique does not change; what changes is the order of a key's or pair's
 * mentions in the index: by document (ids are time-ordered, so in the order documents were
 * added), then chunk. A merge reads an entity's or relation's earliest mentions in that order, a
 * bounded number of them, straight from the index (see MAX_MERGED_MENTIONS). Chunk ids alone are
 * derived from their document and position, so they carry no order of their own.
 */
export class MentionsInDocumentOrder1765000000000 implements MigrationInterface {
  name = 'MentionsInDocumentOrder1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await rekey(db, 'entity_key, document_id, chunk_id', 'source_key, target_key, document_id, chunk_id');
  }

  async down(db: QueryRunner): Promise<void> {
    await rekey(db, 'entity_key, chunk_id', 'source_key, target_key, chunk_id');
  }
}

async function rekey(db: QueryRunner, entityColumns: string, relationColumns: string): Promise<void> {
  await db.query(`ALTER TABLE graph_entity_mentions DROP CONSTRAINT graph_entity_mentions_pkey,
    ADD PRIMARY KEY (tenant_id, kb_id, ${entityColumns})`);
  await db.query(`ALTER TABLE graph_relation_mentions DROP CONSTRAINT graph_relation_mentions_pkey,
    ADD PRIMARY KEY (tenant_id, kb_id, ${relationColumns})`);
}
