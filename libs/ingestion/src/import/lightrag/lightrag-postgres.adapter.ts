import { Client } from 'pg';
import { BadRequest, ErrorCode } from '@strata/core';
import { countTokens } from '@strata/providers';
import {
  knownSourceChunks,
  type LightragChunk,
  type LightragChunkVectors,
  type LightragDataset,
  type LightragDocument,
  type LightragEntity,
  type LightragRelation,
  mergedText,
  processedInLightrag,
  sourceFilePath,
} from './lightrag-dataset';

/** Where a LightRAG workspace lives in LightRAG's PostgreSQL storage. */
export interface LightragPostgresSource {
  /** A PostgreSQL connection URL. */
  url: string;
  /** LightRAG's workspace (its `workspace` column; LightRAG's default is `default`). */
  workspace: string;
  /** The schema holding the `lightrag_*` tables. */
  schema: string;
}

/**
 * The tables LightRAG's PostgreSQL storage writes (created unquoted, so lower case): full
 * documents, text chunks (with their vectors in older versions), chunk vectors (newer versions),
 * entity and relation vectors (whose `content` holds the merged text), and document status.
 */
export const LIGHTRAG_TABLES = {
  documents: 'lightrag_doc_full',
  chunks: 'lightrag_doc_chunks',
  chunkVectors: 'lightrag_vdb_chunks',
  entities: 'lightrag_vdb_entity',
  relations: 'lightrag_vdb_relation',
  status: 'lightrag_doc_status',
} as const;

const unreadable = (message: string) => new BadRequest(ErrorCode.IMPORT_SOURCE_INVALID, message);
const quoted = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * Reads one workspace of LightRAG's PostgreSQL storage into the dataset the importer takes.
 * Entities and relations come from LightRAG's entity and relation vector tables, which hold their
 * merged descriptions and source chunks; their types and weights live in LightRAG's graph storage
 * (Apache AGE, Neo4j or a GraphML file), which is not read here: entities are typed `unknown` and
 * relations weigh 1. Chunk vectors are read when present. A source that cannot be reached, or
 * lacks the documents or chunks tables, is refused with the reason; rows of the wrong shape are
 * left out with a warning.
 */
export async function readLightragPostgres(source: LightragPostgresSource): Promise<LightragDataset> {
  const client = new Client({ connectionString: source.url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw unreadable(`cannot connect to the LightRAG database: ${(error as Error).message}`);
  }
  try {
    return await readWorkspace(client, source);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function readWorkspace(client: Client, source: LightragPostgresSource): Promise<LightragDataset> {
  const warnings: string[] = [];
  const columnsOf = await tableColumns(client, source.schema);
  const table = (name: string) => `${quoted(source.schema)}.${quoted(name)}`;
  for (const required of [LIGHTRAG_TABLES.documents, LIGHTRAG_TABLES.chunks]) {
    if (!columnsOf.has(required))
      throw unreadable(`schema ${source.schema} holds no ${required}: not LightRAG's PostgreSQL storage`);
  }
  const rows = async <T>(name: string, columns: string): Promise<T[]> =>
    (await client.query(`SELECT ${columns} FROM ${table(name)} WHERE workspace = $1`, [source.workspace]))
      .rows as T[];

  const fullDocs = await rows<{ id: string; content: string | null }>(
    LIGHTRAG_TABLES.documents,
    'id, content',
  );
  if (fullDocs.length === 0)
    throw unreadable(
      `workspace ${source.workspace} holds no documents in ${source.schema}.${LIGHTRAG_TABLES.documents}`,
    );
  const knownDocs = new Set(fullDocs.map((d) => d.id));

  const chunks: LightragChunk[] = [];
  const chunkRows = await rows<{
    id: string;
    full_doc_id: string | null;
    chunk_order_index: number | null;
    tokens: number | null;
    content: string | null;
  }>(LIGHTRAG_TABLES.chunks, 'id, full_doc_id, chunk_order_index, tokens, content');
  for (const row of chunkRows) {
    if (typeof row.content !== 'string' || row.full_doc_id === null || !knownDocs.has(row.full_doc_id)) {
      warnings.push(`chunk ${row.id} left out: no content or no known full_doc_id`);
      continue;
    }
    chunks.push({
      id: row.id,
      documentId: row.full_doc_id,
      order: Number.isInteger(row.chunk_order_index) ? row.chunk_order_index! : chunks.length,
      content: row.content,
      tokens: Number.isInteger(row.tokens) ? row.tokens! : countTokens(row.content),
    });
  }
  const chunked = new Set(chunks.map((c) => c.documentId));
  const knownChunks = new Set(chunks.map((c) => c.id));

  const status = new Map<string, { status: string | null; file_path: string | null }>();
  if (columnsOf.has(LIGHTRAG_TABLES.status)) {
    for (const row of await rows<{ id: string; status: string | null; file_path: string | null }>(
      LIGHTRAG_TABLES.status,
      'id, status, file_path',
    ))
      status.set(row.id, row);
  } else warnings.push(`no ${LIGHTRAG_TABLES.status}: documents with chunks are taken as processed`);

  const documents: LightragDocument[] = [];
  for (const doc of fullDocs) {
    if (typeof doc.content !== 'string' || doc.content.trim() === '') {
      warnings.push(`document ${doc.id} left out: no content`);
      continue;
    }
    const recorded = status.get(doc.id);
    documents.push({
      id: doc.id,
      content: doc.content,
      filePath: sourceFilePath(recorded?.file_path),
      processed: processedInLightrag(recorded?.status, chunked.has(doc.id)),
    });
  }

  const sourcesOf = (what: string, ids: string[] | null) =>
    knownSourceChunks(what, ids ?? [], knownChunks, warnings);
  const entities: LightragEntity[] = [];
  if (columnsOf.get(LIGHTRAG_TABLES.entities)?.has('chunk_ids')) {
    for (const row of await rows<{
      entity_name: string | null;
      content: string | null;
      chunk_ids: string[] | null;
    }>(LIGHTRAG_TABLES.entities, 'entity_name, content, chunk_ids')) {
      if (!row.entity_name) continue;
      entities.push({
        name: row.entity_name,
        type: 'unknown',
        description: entityDescription(row.entity_name, row.content ?? ''),
        sourceChunkIds: sourcesOf(`entity ${row.entity_name}`, row.chunk_ids),
      });
    }
  } else warnings.push(`no ${LIGHTRAG_TABLES.entities} with chunk_ids: no entities to import`);
  const relations: LightragRelation[] = [];
  if (columnsOf.get(LIGHTRAG_TABLES.relations)?.has('chunk_ids')) {
    for (const row of await rows<{
      source_id: string | null;
      target_id: string | null;
      content: string | null;
      chunk_ids: string[] | null;
    }>(LIGHTRAG_TABLES.relations, 'source_id, target_id, content, chunk_ids')) {
      if (!row.source_id || !row.target_id) continue;
      relations.push({
        source: row.source_id,
        target: row.target_id,
        ...relationText(row.content ?? ''),
        weight: 1,
        sourceChunkIds: sourcesOf(`relation ${row.source_id} - ${row.target_id}`, row.chunk_ids),
      });
    }
  } else warnings.push(`no ${LIGHTRAG_TABLES.relations} with chunk_ids: no relations to import`);

  return {
    documents,
    chunks,
    entities,
    relations,
    chunkVectors: await readChunkVectors(client, columnsOf, table, source.workspace, warnings),
    warnings,
  };
}

/** The columns of each table of the schema whose name starts with `lightrag_`. */
async function tableColumns(client: Client, schema: string): Promise<Map<string, Set<string>>> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = $1 AND table_name LIKE 'lightrag\\_%'`,
    [schema],
  );
  const tables = new Map<string, Set<string>>();
  for (const row of rows) {
    const columns = tables.get(row.table_name) ?? new Set<string>();
    columns.add(row.column_name);
    tables.set(row.table_name, columns);
  }
  return tables;
}

/**
 * Chunk vectors, from LightRAG's chunk vector table (newer versions) or its text chunks table
 * (older ones), as pgvector's text form.
 */
async function readChunkVectors(
  client: Client,
  columnsOf: Map<string, Set<string>>,
  table: (name: string) => string,
  workspace: string,
  warnings: string[],
): Promise<LightragChunkVectors | null> {
  const holder = [LIGHTRAG_TABLES.chunkVectors, LIGHTRAG_TABLES.chunks].find((name) =>
    columnsOf.get(name)?.has('content_vector'),
  );
  if (!holder) return null;
  const { rows } = await client.query<{ id: string; vector: string | null }>(
    `SELECT id, content_vector::text AS vector FROM ${table(holder)} WHERE workspace = $1 AND content_vector IS NOT NULL`,
    [workspace],
  );
  const byChunkId = new Map<string, number[]>();
  let dimension: number | null = null;
  for (const row of rows) {
    const vector = parseVector(row.vector ?? '');
    if (vector === null || (dimension !== null && vector.length !== dimension)) {
      warnings.push(`the vector of chunk ${row.id} left out: not a vector of the others' dimension`);
      continue;
    }
    dimension = vector.length;
    byChunkId.set(row.id, vector);
  }
  return dimension === null ? null : { dimension, byChunkId };
}

/** pgvector's text form, `[0.1,0.2,…]`. */
export function parseVector(text: string): number[] | null {
  const inner = /^\s*\[(.*)\]\s*$/s.exec(text)?.[1];
  if (inner === undefined || inner.trim() === '') return null;
  const values = inner.split(',').map(Number);
  return values.every(Number.isFinite) ? values : null;
}

/** LightRAG writes an entity's vector text as its name, a line break, then its description. */
export function entityDescription(name: string, content: string): string {
  const [first, ...rest] = content.split('\n');
  return mergedText(first.trim() === name.trim() ? rest.join('\n') : content);
}

/**
 * LightRAG writes a relation's vector text as `keywords<TAB>source`, a line break, the target, a
 * line break, then the description; text of another form is all description.
 */
export function relationText(content: string): { keywords: string; description: string } {
  const lines = content.split('\n');
  const tab = lines[0].indexOf('\t');
  if (tab < 0 || lines.length < 3) return { keywords: '', description: mergedText(content) };
  return { keywords: lines[0].slice(0, tab).trim(), description: mergedText(lines.slice(2).join('\n')) };
}
