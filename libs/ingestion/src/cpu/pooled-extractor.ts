import type { ChunkExtraction, Extractor } from '@strata/graph';
import type { CpuPool } from './cpu-pool';

/** The embedded NLP extractor, run on the CPU pool's threads. */
export class PooledExtractor implements Extractor {
  readonly name = 'embedded-nlp';

  constructor(private readonly pool: CpuPool) {}

  async extract(text: string): Promise<ChunkExtraction> {
    const [extraction] = await this.pool.run('extractEntities', [text]);
    return extraction;
  }
}
