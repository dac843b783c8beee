import { Client } from 'pg';
import { KESTREL_FIXTURE, lightragChunkId } from '../../../../../test/support/lightrag-working-dir';
import { writeLightragPostgres } from '../../../../../test/support/lightrag-postgres';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import { readLightragPostgres } from './lightrag-postgres.adapter';

const skipReason = process.env.STRATA_PG_UNAVAILABLE;

/** LightRAG's PostgreSQL storage, written in its documented tables on the tests' server, read back. */
(skipReason ? describe.skip : describe)(
  `readLightragPostgres${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let database: TestDatabase;
    let url: string;

    beforeAll(async () => {
      database = await createTestDatabase('postgres');
      url = (database.config as { url: string }).url;
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        await writeLightragPostgres(client, 'public', 'default', { ...KESTREL_FIXTURE, vectorDimension: 4 });
        // Another workspace in the same tables: never read with `default`.
        await writeLightragPostgres(client, 'public', 'team_b', {
          documents: [{ file: 'b.md', chunks: ['Workspace B keeps its own notes.'] }],
          entities: [],
          relations: [],
        });
      } finally {
        await client.end();
      }
    }, 60_000);
    afterAll(() => database.drop());

    it("reads one workspace's documents, chunks, entities, relations and chunk vectors", async () => {
      const dataset = await readLightragPostgres({ url, workspace: 'default', schema: 'public' });
      expect(dataset.warnings).toEqual([]);
      expect(dataset.documents).toHaveLength(3);
      expect(dataset.documents.every((d) => d.processed && d.filePath !== null)).toBe(true);
      expect(dataset.chunks).toHaveLength(4);
      expect(dataset.chunks.map((c) => c.content)).not.toContain('Workspace B keeps its own notes.');
      const orla = dataset.entities.find((e) => e.name === 'Orla Vance');
      expect(orla).toEqual({
        name: 'Orla Vance',
        type: 'unknown',
        description: 'Founder of Kestrel Labs.\nFormer turbine designer for the harbour authority.',
        sourceChunkIds: expect.arrayContaining([lightragChunkId(KESTREL_FIXTURE.documents[2].chunks[0])]),
      });
      expect(dataset.entities).toHaveLength(5);
      expect(dataset.relations).toHaveLength(5);
      expect(dataset.relations[0]).toMatchObject({
        source: KESTREL_FIXTURE.relations[0].source,
        target: KESTREL_FIXTURE.relations[0].target,
        keywords: KESTREL_FIXTURE.relations[0].keywords,
        description: KESTREL_FIXTURE.relations[0].description,
        weight: 1,
      });
      expect(dataset.chunkVectors?.dimension).toBe(4);
      expect(dataset.chunkVectors?.byChunkId.size).toBe(4);
    });

    it('refuses a workspace with no documents, a schema without the tables, and a server it cannot reach', async () => {
      await expect(
        readLightragPostgres({ url, workspace: 'nobody', schema: 'public' }),
      ).rejects.toMatchObject({
        code: 'IMPORT_SOURCE_INVALID',
        message: expect.stringContaining('workspace nobody holds no documents'),
      });
      await expect(
        readLightragPostgres({ url, workspace: 'default', schema: 'elsewhere' }),
      ).rejects.toMatchObject({
        message: expect.stringContaining("not LightRAG's PostgreSQL storage"),
      });
      const unreachable = new URL(url);
      unreachable.port = '1';
      await expect(
        readLightragPostgres({ url: unreachable.toString(), workspace: 'default', schema: 'public' }),
      ).rejects.toMatchObject({
        message: expect.stringContaining('cannot connect to the LightRAG database'),
      });
    });
  },
);
