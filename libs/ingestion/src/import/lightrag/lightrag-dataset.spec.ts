import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadRequest } from '@strata/core';
import {
  fixtureVector,
  KESTREL_FIXTURE,
  lightragChunkId,
  writeLightragWorkingDir,
} from '../../../../../test/support/lightrag-working-dir';
import { readLightragWorkingDir } from './lightrag-dataset';
import { graphOfChunks } from './lightrag-importer';

describe('readLightragWorkingDir', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-lightrag-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads documents, chunks, the graph and the chunk vectors', async () => {
    writeLightragWorkingDir(dir, { ...KESTREL_FIXTURE, vectorDimension: 8 });
    const dataset = await readLightragWorkingDir(dir);
    expect(dataset.documents).toHaveLength(3);
    expect(dataset.documents.every((d) => d.processed)).toBe(true);
    expect(dataset.documents[0]).toMatchObject({ filePath: 'kestrel-history.md' });
    expect(dataset.chunks).toHaveLength(4);
    expect(dataset.chunks[1]).toMatchObject({ order: 1, documentId: dataset.documents[0].id });
    expect(dataset.entities).toHaveLength(5);
    expect(dataset.entities.find((e) => e.name === 'Orla Vance')).toEqual({
      name: 'Orla Vance',
      type: 'person',
      description: 'Founder of Kestrel Labs.\nFormer turbine designer for the harbour authority.',
      sourceChunkIds: [dataset.chunks[0].id, dataset.chunks[1].id, dataset.chunks[3].id],
    });
    expect(dataset.relations).toHaveLength(5);
    expect(dataset.relations[0]).toMatchObject({ source: 'Kestrel Labs', target: 'Orla Vance', weight: 9 });
    expect(dataset.chunkVectors!.dimension).toBe(8);
    expect(dataset.chunkVectors!.byChunkId.get(dataset.chunks[2].id)).toEqual(fixtureVector(2, 8));
    expect(dataset.warnings).toEqual([]);
  });

  it('marks documents LightRAG did not finish for ingestion anew', async () => {
    writeLightragWorkingDir(dir, {
      ...KESTREL_FIXTURE,
      documents: KESTREL_FIXTURE.documents.map((d, i) => (i === 2 ? { ...d, status: 'FAILED' } : d)),
    });
    const dataset = await readLightragWorkingDir(dir);
    expect(dataset.documents.map((d) => d.processed)).toEqual([true, true, false]);
  });

  it('leaves out entries of the wrong shape and sources it cannot find, saying so', async () => {
    writeLightragWorkingDir(dir, KESTREL_FIXTURE);
    const chunks = JSON.parse(readFileSync(join(dir, 'kv_store_text_chunks.json'), 'utf8'));
    const dropped = lightragChunkId(KESTREL_FIXTURE.documents[2].chunks[0]);
    delete chunks[dropped];
    chunks['chunk-orphan'] = { content: 'no document', full_doc_id: 'doc-missing' };
    writeFileSync(join(dir, 'kv_store_text_chunks.json'), JSON.stringify(chunks));
    const dataset = await readLightragWorkingDir(dir);
    expect(dataset.chunks).toHaveLength(3);
    expect(dataset.documents[2].processed).toBe(false);
    expect(dataset.entities.find((e) => e.name === 'Ines Marlow')!.sourceChunkIds).toEqual([]);
    expect(dataset.warnings).toEqual(
      expect.arrayContaining([
        'chunk chunk-orphan left out: no content or no known full_doc_id',
        'entity Ines Marlow: 1 of its source chunks are not in the chunk store',
      ]),
    );
  });

  it.each([
    ['a missing directory', (d: string) => rmSync(d, { recursive: true }), 'is not a directory'],
    [
      'no chunk store',
      (d: string) => unlinkSync(join(d, 'kv_store_text_chunks.json')),
      'holds no kv_store_text_chunks.json: not a LightRAG working directory',
    ],
    [
      'a document store that is not JSON',
      (d: string) => writeFileSync(join(d, 'kv_store_full_docs.json'), '{"doc-1": '),
      'kv_store_full_docs.json is not valid JSON',
    ],
    [
      'a JSON array instead of entries by id',
      (d: string) => writeFileSync(join(d, 'kv_store_full_docs.json'), '[]'),
      'does not hold a JSON object of entries by id',
    ],
    [
      'a graph that is not GraphML',
      (d: string) => writeFileSync(join(d, 'graph_chunk_entity_relation.graphml'), '<svg/>'),
      'graph_chunk_entity_relation.graphml is not readable GraphML',
    ],
  ])('refuses %s with IMPORT_SOURCE_INVALID', async (_, damage, message) => {
    writeLightragWorkingDir(dir, KESTREL_FIXTURE);
    damage(dir);
    const error = await readLightragWorkingDir(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequest);
    expect(error).toMatchObject({ code: 'IMPORT_SOURCE_INVALID', message: expect.stringContaining(message) });
  });
});

describe('graphOfChunks', () => {
  it("mentions each entity and relation in its source chunks, sharing a relation's weight between them", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-lightrag-'));
    try {
      writeLightragWorkingDir(dir, {
        ...KESTREL_FIXTURE,
        relations: [
          {
            ...KESTREL_FIXTURE.relations[0],
            weight: 9,
            chunks: [
              [0, 0],
              [0, 1],
            ],
          },
        ],
      });
      const dataset = await readLightragWorkingDir(dir);
      const [first, second] = graphOfChunks(dataset.chunks.slice(0, 2), dataset);
      expect(first.entities.map((e) => e.name)).toEqual(['Kestrel Labs', 'Orla Vance', 'Port Anselm']);
      expect(second.entities.map((e) => e.name)).toEqual(['Orla Vance', 'Port Anselm']);
      expect(first.relations).toEqual([
        expect.objectContaining({ source: 'Kestrel Labs', target: 'Orla Vance', weight: 4.5 }),
      ]);
      expect(second.relations[0].weight).toBe(4.5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
