import { loadConfig } from '@strata/core';
import { LexicalEmbedder } from '@strata/providers';
import { CpuPool, CpuPoolClosed } from './cpu-pool';
import { onCpuPool } from './pooled-embedder';

// Without a built worker entry (as here, on the TypeScript sources) the pool runs tasks on the
// calling thread; the built server's suites (crash, parse bounds) run them on worker threads.
describe('CpuPool without a built worker entry', () => {
  const pool = new CpuPool(loadConfig({ CPU_THREADS: '2' }), '/nonexistent/cpu-worker.js');
  afterAll(() => pool.onApplicationShutdown());

  it('runs tasks on the calling thread', async () => {
    expect(pool.threads).toBe(0);
    const prepared = await pool.run('prepareDocument', {
      format: 'md',
      content: Buffer.from('# Ferries\n\nThe ferries leave at seven.'),
      chunking: { chunkSize: 100, chunkOverlap: 10 },
      zip: { maxEntries: 10, maxExpandedBytes: 1024 },
    });
    expect(prepared).toMatchObject({ ok: true, chunks: [{ ordinal: 0, heading: 'Ferries' }] });
  });

  it('answers why a document has no text instead of throwing', async () => {
    const prepared = await pool.run('prepareDocument', {
      format: null,
      content: Buffer.from('x'),
      chunking: { chunkSize: 100, chunkOverlap: 10 },
      zip: { maxEntries: 10, maxExpandedBytes: 1024 },
    });
    expect(prepared).toEqual({ ok: false, error: expect.stringMatching(/unsupported file type/) });
  });

  it('embeds lexically through the pool as the lexical embedder does, in float32', async () => {
    const lexical = new LexicalEmbedder();
    const pooled = onCpuPool(lexical, pool);
    expect(pooled).not.toBe(lexical);
    expect(pooled.model).toBe(lexical.model);
    const texts = ['Ferries leave the pier at seven.', 'The lighthouse keeper lights the lamp.'];
    const [direct, viaPool] = [await lexical.embed(texts), await pooled.embed(texts)];
    expect(viaPool).toHaveLength(2);
    viaPool.forEach((vector, i) =>
      Array.from(vector).forEach((x, d) => expect(x).toBeCloseTo(direct[i][d], 6)),
    );
  });

  it('leaves other embedders as they are', () => {
    const remote = { model: 'remote', dimension: 8, embed: async () => [] };
    expect(onCpuPool(remote, pool)).toBe(remote);
  });
});

describe('CpuPool shutting down', () => {
  it('refuses tasks with CpuPoolClosed, which jobs take as "leave the work claimed"', async () => {
    const pool = new CpuPool(loadConfig({}), '/nonexistent/cpu-worker.js');
    await pool.onApplicationShutdown();
    await expect(
      pool.run('extractEntities', ['Maria Lopez leads Northwind Traders.']),
    ).rejects.toBeInstanceOf(CpuPoolClosed);
  });
});
