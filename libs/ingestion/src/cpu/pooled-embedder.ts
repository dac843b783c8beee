import { type Embedder, type EmbeddingVector, LexicalEmbedder } from '@strata/providers';
import type { CpuPool } from './cpu-pool';

/** The embedded lexical embedder, run on the CPU pool's threads. */
class PooledLexicalEmbedder implements Embedder {
  constructor(
    private readonly pool: CpuPool,
    private readonly lexical: LexicalEmbedder,
  ) {}

  get model(): string {
    return this.lexical.model;
  }

  get dimension(): number {
    return this.lexical.dimension;
  }

  async embed(texts: readonly string[]): Promise<EmbeddingVector[]> {
    const flat = await this.pool.run('embedLexical', [...texts]);
    const size = this.lexical.dimension;
    return texts.map((_, i) => flat.subarray(i * size, (i + 1) * size));
  }
}

/** `embedder` with its work on the CPU pool's threads when it is the CPU-bound lexical one. */
export function onCpuPool(embedder: Embedder, pool: CpuPool): Embedder {
  return embedder instanceof LexicalEmbedder && embedder.dimension === new LexicalEmbedder().dimension
    ? new PooledLexicalEmbedder(pool, embedder)
    : embedder;
}
