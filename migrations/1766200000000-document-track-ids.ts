import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `documents.track_id`: the documents one request added share it (LightRAG's track id, which its
 * clients poll with `/documents/track_status/{track_id}`); a reprocessing request gives the
 * documents it puts back a new one. Null for documents added without one.
 */
export class DocumentTrackIds1766200000000 implements MigrationInterface {
  name = 'DocumentTrackIds1766200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE documents ADD COLUMN track_id text`);
    await db.query(
      `CREATE INDEX documents_track_idx ON documents (tenant_id, kb_id, track_id) WHERE track_id IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX documents_track_idx`);
    await db.query(`ALTER TABLE documents DROP COLUMN track_id`);
  }
}
