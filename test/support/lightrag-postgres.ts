import type { Client } from 'pg';
import { fixtureVector, type LightragFixture, lightragChunkId, lightragDocId } from './lightrag-working-dir';

/**
 * Writes a LightRAG workspace into `schema` as LightRAG's PostgreSQL storage lays it out: its
 * documented tables (created as LightRAG creates them, unquoted), the rows it writes for each
 * document, chunk, entity and relation, the entity and relation texts in the form LightRAG stores
 * for its vectors, and, with `vectorDimension`, chunk vectors (pgvector). Ids are LightRAG's.
 */
export async function writeLightragPostgres(
  client: Client,
  schema: string,
  workspace: string,
  fixture: LightragFixture,
): Promise<void> {
  await client.query('CREATE EXTENSION IF NOT EXISTS vector');
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const ddl = [
    `CREATE TABLE IF NOT EXISTS ${schema}.LIGHTRAG_DOC_FULL (id VARCHAR(255), workspace VARCHAR(255),
       doc_name VARCHAR(1024), content TEXT, meta JSONB, create_time TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
       update_time TIMESTAMP, CONSTRAINT LIGHTRAG_DOC_FULL_PK PRIMARY KEY (workspace, id))`,
    `CREATE TABLE IF NOT EXISTS ${schema}.LIGHTRAG_DOC_CHUNKS (id VARCHAR(255), workspace VARCHAR(255),
       full_doc_id VARCHAR(256), chunk_order_index INTEGER, tokens INTEGER, content TEXT,
       content_vector VECTOR, file_path VARCHAR(256), create_time TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
       update_time TIMESTAMP, CONSTRAINT LIGHTRAG_DOC_CHUNKS_PK PRIMARY KEY (workspace, id))`,
    `CREATE TABLE IF NOT EXISTS ${schema}.LIGHTRAG_VDB_ENTITY (id VARCHAR(255), workspace VARCHAR(255),
       entity_name VARCHAR(255), content TEXT, content_vector VECTOR,
       create_time TIMESTAMP DEFAULT CURRENT_TIMESTAMP, update_time TIMESTAMP, chunk_ids VARCHAR(255)[] NULL,
       file_path TEXT NULL, CONSTRAINT LIGHTRAG_VDB_ENTITY_PK PRIMARY KEY (workspace, id))`,
    `CREATE TABLE IF NOT EXISTS ${schema}.LIGHTRAG_VDB_RELATION (id VARCHAR(255), workspace VARCHAR(255),
       source_id VARCHAR(256), target_id VARCHAR(256), content TEXT, content_vector VECTOR,
       create_time TIMESTAMP DEFAULT CURRENT_TIMESTAMP, update_time TIMESTAMP, chunk_ids VARCHAR(255)[] NULL,
       file_path TEXT NULL, CONSTRAINT LIGHTRAG_VDB_RELATION_PK PRIMARY KEY (workspace, id))`,
    `CREATE TABLE IF NOT EXISTS ${schema}.LIGHTRAG_DOC_STATUS (workspace varchar(255) NOT NULL,
       id varchar(255) NOT NULL, content TEXT NULL, content_summary varchar(255) NULL, content_length int4 NULL,
       chunks_count int4 NULL, status varchar(64) NULL, file_path TEXT NULL,
       created_at timestamp DEFAULT CURRENT_TIMESTAMP NULL, updated_at timestamp DEFAULT CURRENT_TIMESTAMP NULL,
       CONSTRAINT LIGHTRAG_DOC_STATUS_PK PRIMARY KEY (workspace, id))`,
  ];
  for (const statement of ddl) await client.query(statement);

  const chunkIds: string[][] = [];
  let vectorIndex = 0;
  for (const doc of fixture.documents) {
    const content = doc.chunks.join('\n\n');
    const docId = lightragDocId(content);
    await client.query(
      `INSERT INTO ${schema}.lightrag_doc_full (id, workspace, content) VALUES ($1, $2, $3)`,
      [docId, workspace, content],
    );
    const ids: string[] = [];
    for (const [order, chunk] of doc.chunks.entries()) {
      const id = lightragChunkId(chunk);
      ids.push(id);
      const vector = fixture.vectorDimension
        ? `[${fixtureVector(vectorIndex++, fixture.vectorDimension).join(',')}]`
        : null;
      await client.query(
        `INSERT INTO ${schema}.lightrag_doc_chunks
           (id, workspace, full_doc_id, chunk_order_index, tokens, content, content_vector, file_path)
         VALUES ($1, $2, $3, $4, $5, $6, $7::vector, $8)`,
        [id, workspace, docId, order, chunk.split(/\s+/).length, chunk, vector, doc.file],
      );
    }
    chunkIds.push(ids);
    await client.query(
      `INSERT INTO ${schema}.lightrag_doc_status
         (workspace, id, content_summary, content_length, chunks_count, status, file_path)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        workspace,
        docId,
        content.slice(0, 100),
        content.length,
        doc.chunks.length,
        doc.status ?? 'processed',
        doc.file,
      ],
    );
  }
  const sources = (refs: Array<[number, number]>) => refs.map(([d, c]) => chunkIds[d][c]);
  for (const [i, e] of fixture.entities.entries()) {
    await client.query(
      `INSERT INTO ${schema}.lightrag_vdb_entity (id, workspace, entity_name, content, chunk_ids, file_path)
       VALUES ($1, $2, $3, $4, $5::varchar[], $6)`,
      [`ent-${i}`, workspace, e.name, `${e.name}\n${e.description}`, sources(e.chunks), 'fixture'],
    );
  }
  for (const [i, r] of fixture.relations.entries()) {
    await client.query(
      `INSERT INTO ${schema}.lightrag_vdb_relation (id, workspace, source_id, target_id, content, chunk_ids, file_path)
       VALUES ($1, $2, $3, $4, $5, $6::varchar[], $7)`,
      [
        `rel-${i}`,
        workspace,
        r.source,
        r.target,
        `${r.keywords}\t${r.source}\n${r.target}\n${r.description}`,
        sources(r.chunks),
        'fixture',
      ],
    );
  }
}
