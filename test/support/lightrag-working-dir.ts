import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a LightRAG working directory in its default file storage, laid out as LightRAG documents
 * it: kv_store_full_docs.json, kv_store_text_chunks.json, kv_store_doc_status.json,
 * graph_chunk_entity_relation.graphml (as NetworkX writes GraphML) and vdb_chunks.json
 * (NanoVectorDB: base64 float32 matrix). Ids are LightRAG's: `doc-`/`chunk-` + md5 of the text.
 */
export interface LightragFixture {
  documents: Array<{ file: string; chunks: string[]; status?: string }>;
  entities: Array<{ name: string; type: string; description: string; chunks: Array<[number, number]> }>;
  relations: Array<{
    source: string;
    target: string;
    keywords: string;
    description: string;
    weight: number;
    chunks: Array<[number, number]>;
  }>;
  /** Chunk vectors of this dimension (deterministic values) in vdb_chunks.json. */
  vectorDimension?: number;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
export const lightragDocId = (content: string) => `doc-${md5(content.trim())}`;
export const lightragChunkId = (content: string) => `chunk-${md5(content)}`;
const SEP = '<SEP>';
const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A vector LightRAG would have stored for a chunk: fixed numbers, so a test can recognise them. */
export const fixtureVector = (chunkIndex: number, dimension: number): number[] =>
  Array.from({ length: dimension }, (_, i) => Math.fround((((chunkIndex + 1) * (i + 3)) % 7) / 7 - 0.4));

export function writeLightragWorkingDir(dir: string, fixture: LightragFixture): void {
  mkdirSync(dir, { recursive: true });
  const fullDocs: Record<string, unknown> = {};
  const textChunks: Record<string, unknown> = {};
  const status: Record<string, unknown> = {};
  const chunkIds: string[][] = [];
  const vdbData: Array<Record<string, unknown>> = [];
  const vectors: number[] = [];
  fixture.documents.forEach((doc, d) => {
    const content = doc.chunks.join('\n\n');
    const docId = lightragDocId(content);
    fullDocs[docId] = { content, file_path: doc.file };
    chunkIds[d] = doc.chunks.map((chunk, order) => {
      const id = lightragChunkId(chunk);
      textChunks[id] = {
        tokens: chunk.split(/\s+/).length,
        content: chunk,
        chunk_order_index: order,
        full_doc_id: docId,
        file_path: doc.file,
        llm_cache_list: [],
      };
      if (fixture.vectorDimension) {
        vdbData.push({
          __id__: id,
          __created_at__: 1763800000,
          content: chunk,
          full_doc_id: docId,
          file_path: doc.file,
        });
        vectors.push(...fixtureVector(vdbData.length - 1, fixture.vectorDimension));
      }
      return id;
    });
    status[docId] = {
      status: doc.status ?? 'processed',
      content_summary: content.slice(0, 100),
      content_length: content.length,
      chunks_count: doc.chunks.length,
      chunks_list: chunkIds[d],
      file_path: doc.file,
      created_at: '2026-11-01T10:00:00+00:00',
      updated_at: '2026-11-01T10:01:00+00:00',
    };
  });
  const sources = (refs: Array<[number, number]>) => refs.map(([d, c]) => chunkIds[d][c]).join(SEP);
  const nodeKeys = ['entity_id', 'entity_type', 'description', 'source_id', 'file_path', 'created_at'];
  const edgeKeys = ['weight', 'description', 'keywords', 'source_id', 'file_path', 'created_at'];
  const data = (prefix: string, keys: string[], values: Record<string, string | number>) =>
    keys.map((k, i) => `      <data key="${prefix}${i}">${escape(String(values[k]))}</data>`).join('\n');
  const graphml = [
    "<?xml version='1.0' encoding='utf-8'?>",
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    ...nodeKeys.map((k, i) => `  <key id="n${i}" for="node" attr.name="${k}" attr.type="string" />`),
    ...edgeKeys.map(
      (k, i) =>
        `  <key id="e${i}" for="edge" attr.name="${k}" attr.type="${k === 'weight' ? 'double' : 'string'}" />`,
    ),
    '  <graph edgedefault="undirected">',
    ...fixture.entities.map(
      (e) =>
        `    <node id="${escape(e.name)}">\n${data('n', nodeKeys, {
          entity_id: e.name,
          entity_type: e.type,
          description: e.description,
          source_id: sources(e.chunks),
          file_path: 'fixture',
          created_at: 1763800000,
        })}\n    </node>`,
    ),
    ...fixture.relations.map(
      (r) =>
        `    <edge source="${escape(r.source)}" target="${escape(r.target)}">\n${data('e', edgeKeys, {
          weight: r.weight,
          description: r.description,
          keywords: r.keywords,
          source_id: sources(r.chunks),
          file_path: 'fixture',
          created_at: 1763800000,
        })}\n    </edge>`,
    ),
    '  </graph>',
    '</graphml>',
  ].join('\n');
  writeFileSync(join(dir, 'kv_store_full_docs.json'), JSON.stringify(fullDocs, null, 2));
  writeFileSync(join(dir, 'kv_store_text_chunks.json'), JSON.stringify(textChunks, null, 2));
  writeFileSync(join(dir, 'kv_store_doc_status.json'), JSON.stringify(status, null, 2));
  writeFileSync(join(dir, 'graph_chunk_entity_relation.graphml'), graphml);
  if (fixture.vectorDimension) {
    const matrix = Buffer.from(new Float32Array(vectors).buffer).toString('base64');
    writeFileSync(
      join(dir, 'vdb_chunks.json'),
      JSON.stringify({ embedding_dim: fixture.vectorDimension, data: vdbData, matrix }),
    );
  }
}

/** A small working directory: three documents about a fictional lab, four chunks, graph and vectors. */
export const KESTREL_FIXTURE: LightragFixture = {
  documents: [
    {
      file: 'kestrel-history.md',
      chunks: [
        'Kestrel Labs was founded in 2011 by Orla Vance in Port Anselm. The lab builds tidal energy systems.',
        'Orla Vance previously designed turbines for the harbour authority of Port Anselm.',
      ],
    },
    {
      file: 'tidewater.md',
      chunks: [
        'The Tidewater Reactor is the flagship tidal generator of Kestrel Labs, rated at 40 megawatts.',
      ],
    },
    {
      file: 'people.md',
      chunks: ['Ines Marlow leads the Tidewater Reactor programme and reports to Orla Vance.'],
    },
  ],
  entities: [
    {
      name: 'Kestrel Labs',
      type: 'organization',
      description: 'A tidal energy lab founded in 2011 in Port Anselm.',
      chunks: [
        [0, 0],
        [1, 0],
      ],
    },
    {
      name: 'Orla Vance',
      type: 'person',
      description: 'Founder of Kestrel Labs.<SEP>Former turbine designer for the harbour authority.',
      chunks: [
        [0, 0],
        [0, 1],
        [2, 0],
      ],
    },
    {
      name: 'Port Anselm',
      type: 'geo',
      description: 'The harbour town where Kestrel Labs is based.',
      chunks: [
        [0, 0],
        [0, 1],
      ],
    },
    {
      name: 'Tidewater Reactor',
      type: 'technology',
      description: 'Flagship 40 megawatt tidal generator of Kestrel Labs.',
      chunks: [
        [1, 0],
        [2, 0],
      ],
    },
    {
      name: 'Ines Marlow',
      type: 'person',
      description: 'Leads the Tidewater Reactor programme.',
      chunks: [[2, 0]],
    },
  ],
  relations: [
    {
      source: 'Kestrel Labs',
      target: 'Orla Vance',
      keywords: 'founder, leadership',
      description: 'Orla Vance founded Kestrel Labs in 2011.',
      weight: 9,
      chunks: [[0, 0]],
    },
    {
      source: 'Kestrel Labs',
      target: 'Port Anselm',
      keywords: 'location',
      description: 'Kestrel Labs is based in Port Anselm.',
      weight: 7,
      chunks: [[0, 0]],
    },
    {
      source: 'Kestrel Labs',
      target: 'Tidewater Reactor',
      keywords: 'product',
      description: 'Kestrel Labs builds the Tidewater Reactor.',
      weight: 8,
      chunks: [[1, 0]],
    },
    {
      source: 'Ines Marlow',
      target: 'Orla Vance',
      keywords: 'reporting line',
      description: 'Ines Marlow reports to Orla Vance.',
      weight: 4,
      chunks: [[2, 0]],
    },
    {
      source: 'Ines Marlow',
      target: 'Tidewater Reactor',
      keywords: 'programme lead',
      description: 'Ines Marlow leads the Tidewater Reactor programme.',
      weight: 6,
      chunks: [[2, 0]],
    },
  ],
};
