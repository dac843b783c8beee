import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { builtApp } from '../../support/built-app';

/**
 * Every CPU pool thread loads the built cpu-worker.js when it starts. It holds the tasks (parse,
 * chunk, embed, extract) and what they use, not the server: when it loaded NestJS, TypeORM and
 * every storage driver through the libraries' index files, a thread took ~2.7 s of CPU to start,
 * paid again whenever the pool grew under an upload.
 */
describe('the CPU worker threads entry (built)', () => {
  /** Loads an app's cpu-worker.js in a fresh process, runs `script` with it as `w`, prints JSON. */
  const inFreshProcess = (app: 'api' | 'worker', script: string) => {
    const file = join(dirname(builtApp(app)), 'cpu-worker.js');
    const run = spawnSync(
      process.execPath,
      ['-e', `const w = require(${JSON.stringify(file)}); (async () => { ${script} })();`],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (run.status !== 0) throw new Error(`loading ${file} failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as unknown;
  };

  const packagesLoaded = (app: 'api' | 'worker') =>
    inFreshProcess(
      app,
      `const names = Object.keys(require.cache)
         .map((p) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(p)?.[1])
         .filter(Boolean);
       console.log(JSON.stringify([...new Set(names)].sort()));`,
    ) as string[];

  it.each(['api', 'worker'] as const)('of the %s loads none of the server frameworks or drivers', (app) => {
    const loaded = packagesLoaded(app);
    // It does load what the tasks need.
    expect(loaded).toEqual(expect.arrayContaining(['compromise', 'gpt-tokenizer', 'piscina']));
    const server = loaded.filter((name) =>
      /^(@nestjs\/|typeorm$|pg$|ioredis$|bull$|neo4j-driver$|@qdrant\/|@electric-sql\/|argon2$|prom-client$)/.test(
        name,
      ),
    );
    expect(server).toEqual([]);
  });

  it('runs its tasks: a text becomes chunks, vectors and entities', () => {
    const result = inFreshProcess(
      'api',
      `const text = 'Ada Lovelace worked with Charles Babbage in London on the Analytical Engine.';
       const prepared = await w.prepareDocument({
         format: 'txt', content: Buffer.from(text), chunking: { chunkSize: 50, chunkOverlap: 0 },
         zip: { maxEntries: 10, maxExpandedBytes: 1 << 20 },
       });
       // Moved back to the pool's caller: piscina wraps the array.
       const vectors = (await w.embedLexical([text]))[require('piscina').valueSymbol];
       const [extraction] = await w.extractEntities([text]);
       console.log(JSON.stringify({
         ok: prepared.ok, chunks: prepared.chunks.length, dimension: vectors.length, nonZero: vectors.some((x) => x !== 0),
         entities: extraction.entities.map((e) => e.name),
       }));`,
    );
    expect(result).toEqual({
      ok: true,
      chunks: 1,
      dimension: expect.any(Number),
      nonZero: true,
      entities: expect.arrayContaining(['Ada Lovelace', 'Charles Babbage']),
    });
    expect((result as { dimension: number }).dimension).toBeGreaterThan(0);
  });
});
