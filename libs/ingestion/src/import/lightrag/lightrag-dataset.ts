import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BadRequest, ErrorCode } from '@strata/core';
import { countTokens } from '@strata/providers';
import { parseGraphml } from './graphml';

/** LightRAG's separator between merged values (source chunk ids, descriptions). */
const FIELD_SEPARATOR = '<SEP>';

/** The files of a LightRAG working directory in its default (JSON, NetworkX, NanoVectorDB) storage. */
export const LIGHTRAG_FILES = {
  documents: 'kv_store_full_docs.json',
  chunks: 'kv_store_text_chunks.json',
  status: 'kv_store_doc_status.json',
  graph: 'graph_chunk_entity_relation.graphml',
  chunkVectors: 'vdb_chunks.json',
} as const;

export interface LightragDocument {
  /** LightRAG's id, e.g. `doc-<md5>`. */
  id: string;
  content: string;
  filePath: string | null;
  /** Processed in LightRAG, with chunks: imported as it is. Otherwise Strata ingests its text anew. */
  processed: boolean;
}

export interface LightragChunk {
  id: string;
  documentId: string;
  order: number;
  content: string;
  tokens: number;
}

export interface LightragEntity {
  name: string;
  type: string;
  description: string;
  sourceChunkIds: string[];
}

export interface LightragRelation {
  source: string;
  target: string;
  keywords: string;
  description: string;
  weight: number;
  sourceChunkIds: string[];
}

export interface LightragChunkVectors {
  dimension: number;
  byChunkId: Map<string, number[]>;
}

export interface LightragDataset {
  documents: LightragDocument[];
  chunks: LightragChunk[];
  entities: LightragEntity[];
  relations: LightragRelation[];
  chunkVectors: LightragChunkVectors | null;
  /** What was left out while reading, and why (entries of the wrong shape, dangling references). */
  warnings: string[];
}

const unreadable = (message: string) => new BadRequest(ErrorCode.IMPORT_SOURCE_INVALID, message);

/**
 * Reads a LightRAG working directory: full documents, text chunks, document status, the entity and
 * relation graph (GraphML) and, when present, the chunk vectors. A directory that is missing, or
 * misses the documents or chunks, or holds files that do not parse, is refused with the reason;
 * single entries of the wrong shape are left out with a warning.
 */
export async function readLightragWorkingDir(dir: string): Promise<LightragDataset> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw unreadable(`${dir} is not a directory`);
  const warnings: string[] = [];

  const fullDocs = await readJsonObject(dir, LIGHTRAG_FILES.documents, true);
  const textChunks = await readJsonObject(dir, LIGHTRAG_FILES.chunks, true);
  const status = await readJsonObject(dir, LIGHTRAG_FILES.status, false);

  const chunks: LightragChunk[] = [];
  for (const [id, value] of Object.entries(textChunks!)) {
    const chunk = value as Record<string, unknown>;
    if (
      typeof chunk?.content !== 'string' ||
      typeof chunk.full_doc_id !== 'string' ||
      !fullDocs![chunk.full_doc_id]
    ) {
      warnings.push(`chunk ${id} left out: no content or no known full_doc_id`);
      continue;
    }
    chunks.push({
      id,
      documentId: chunk.full_doc_id,
      order: Number.isInteger(chunk.chunk_order_index) ? (chunk.chunk_order_index as number) : chunks.length,
      content: chunk.content,
      tokens: Number.isInteger(chunk.tokens) ? (chunk.tokens as number) : countTokens(chunk.content),
    });
  }
  const chunkedDocuments = new Set(chunks.map((c) => c.documentId));

  const documents: LightragDocument[] = [];
  for (const [id, value] of Object.entries(fullDocs!)) {
    const doc = value as Record<string, unknown>;
    if (typeof doc?.content !== 'string' || doc.content.trim() === '') {
      warnings.push(`document ${id} left out: no content`);
      continue;
    }
    const docStatus = (status?.[id] as Record<string, unknown> | undefined) ?? null;
    documents.push({
      id,
      content: doc.content,
      filePath: sourceFilePath(doc.file_path, docStatus?.file_path),
      processed: processedInLightrag(docStatus?.status, chunkedDocuments.has(id)),
    });
  }

  const { entities, relations } = await readGraph(dir, new Set(chunks.map((c) => c.id)), warnings);
  return {
    documents,
    chunks,
    entities,
    relations,
    chunkVectors: await readChunkVectors(dir, warnings),
    warnings,
  };
}

async function readText(dir: string, file: string, required: boolean): Promise<string | null> {
  try {
    return await readFile(join(dir, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return null;
    if (code === 'ENOENT')
      throw unreadable(
        `${basename(dir)} holds no ${file}: not a LightRAG working directory in its default file storage`,
      );
    throw unreadable(`cannot read ${file}: ${(error as Error).message}`);
  }
}

async function readJsonObject(
  dir: string,
  file: string,
  required: boolean,
): Promise<Record<string, unknown> | null> {
  const text = await readText(dir, file, required);
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw unreadable(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw unreadable(`${file} does not hold a JSON object of entries by id`);
  return value as Record<string, unknown>;
}

async function readGraph(
  dir: string,
  knownChunks: Set<string>,
  warnings: string[],
): Promise<{ entities: LightragEntity[]; relations: LightragRelation[] }> {
  const xml = await readText(dir, LIGHTRAG_FILES.graph, false);
  if (xml === null) {
    warnings.push(`no ${LIGHTRAG_FILES.graph}: no entities or relations to import`);
    return { entities: [], relations: [] };
  }
  let graph: ReturnType<typeof parseGraphml>;
  try {
    graph = parseGraphml(xml);
  } catch (error) {
    throw unreadable(`${LIGHTRAG_FILES.graph} is not readable GraphML: ${(error as Error).message}`);
  }
  const sourcesOf = (what: string, sourceId: string | undefined) =>
    knownSourceChunks(what, split(sourceId ?? ''), knownChunks, warnings);
  const entities = graph.nodes.map((node) => ({
    name: unquote(node.data.entity_id || node.id),
    type: unquote(node.data.entity_type || 'unknown').toLowerCase(),
    description: mergedText(node.data.description ?? ''),
    sourceChunkIds: sourcesOf(`entity ${node.id}`, node.data.source_id),
  }));
  const relations = graph.edges.map((edge) => {
    const weight = Number(edge.data.weight);
    return {
      source: unquote(edge.source),
      target: unquote(edge.target),
      keywords: unquote(edge.data.keywords ?? ''),
      description: mergedText(edge.data.description ?? ''),
      weight: Number.isFinite(weight) && weight > 0 ? weight : 1,
      sourceChunkIds: sourcesOf(`relation ${edge.source} - ${edge.target}`, edge.data.source_id),
    };
  });
  return { entities, relations };
}

/** NanoVectorDB's file: `embedding_dim`, `data` (entries with `__id__`) and `matrix`, base64 float32 rows in `data`'s order. */
async function readChunkVectors(dir: string, warnings: string[]): Promise<LightragChunkVectors | null> {
  const file = await readJsonObject(dir, LIGHTRAG_FILES.chunkVectors, false).catch((error: Error) => {
    warnings.push(`${LIGHTRAG_FILES.chunkVectors} left out: ${error.message}`);
    return null;
  });
  if (file === null) return null;
  const dimension = file.embedding_dim;
  const data = file.data;
  if (!Number.isInteger(dimension) || !Array.isArray(data) || typeof file.matrix !== 'string') {
    warnings.push(`${LIGHTRAG_FILES.chunkVectors} left out: not a NanoVectorDB file`);
    return null;
  }
  const bytes = Buffer.from(file.matrix, 'base64');
  const dim = dimension as number;
  if (bytes.length !== data.length * dim * 4) {
    warnings.push(
      `${LIGHTRAG_FILES.chunkVectors} left out: its matrix does not hold ${data.length} vectors of ${dim}`,
    );
    return null;
  }
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const byChunkId = new Map<string, number[]>();
  data.forEach((entry: Record<string, unknown>, i: number) => {
    if (typeof entry?.__id__ === 'string')
      byChunkId.set(entry.__id__, Array.from(floats.subarray(i * dim, (i + 1) * dim)));
  });
  return { dimension: dim, byChunkId };
}

/** The file a document came from, of the places LightRAG records it; its placeholders are none. */
export const sourceFilePath = (...candidates: unknown[]): string | null =>
  candidates.find(
    (p): p is string => typeof p === 'string' && p !== '' && p !== 'unknown_source' && p !== 'no-file-path',
  ) ?? null;

/** Processed in LightRAG (no status recorded counts as processed) and chunked: imported as it is. */
export const processedInLightrag = (status: unknown, hasChunks: boolean): boolean =>
  (typeof status !== 'string' || status.toLowerCase() === 'processed') && hasChunks;

/** The source chunks the chunk store holds; the others are named in a warning. */
export function knownSourceChunks(
  what: string,
  ids: readonly string[],
  knownChunks: ReadonlySet<string>,
  warnings: string[],
): string[] {
  const known = ids.filter((id) => knownChunks.has(id));
  if (known.length < ids.length)
    warnings.push(`${what}: ${ids.length - known.length} of its source chunks are not in the chunk store`);
  return known;
}

/** A merged LightRAG text: its `<SEP>`-joined parts, one per line. */
export const mergedText = (value: string): string => split(value).join('\n');

const split = (value: string): string[] =>
  value
    .split(FIELD_SEPARATOR)
    .map((part) => part.trim())
    .filter((part) => part !== '');

/** Older LightRAG versions wrote names and types in double quotes. */
const unquote = (value: string): string =>
  value
    .trim()
    .replace(/^"(.*)"$/s, '$1')
    .trim();
