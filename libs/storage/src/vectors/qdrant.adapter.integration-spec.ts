import { randomBytes } from 'node:crypto';
import { QdrantVectorStore } from './qdrant.adapter';
import { vectorStoreContract } from './vectors.contract';

const url = process.env.QDRANT_URL;

/** Collections of one run get a prefix of their own and are dropped at the end. */
class DisposableQdrantStore extends QdrantVectorStore {
  override async close(): Promise<void> {
    await this.dropCollections();
  }
}

vectorStoreContract(
  `qdrant (${url ?? 'QDRANT_URL not set'})`,
  async () =>
    new DisposableQdrantStore(
      url!,
      process.env.QDRANT_API_KEY ?? null,
      `strata_test_${randomBytes(4).toString('hex')}_`,
    ),
  {
    skipReason: url
      ? undefined
      : 'QDRANT_URL is not set; set it to a Qdrant server to run this contract suite',
  },
);

describe('QdrantVectorStore naming', () => {
  it('names one collection per model and dimension, in characters Qdrant accepts', () => {
    const store = new QdrantVectorStore('http://127.0.0.1:6333', null);
    expect(store.collectionName({ model: 'text-embedding-3-small', dimension: 1536 })).toBe(
      'strata_text_embedding_3_small_1536',
    );
    expect(store.collectionName({ model: 'BAAI/bge-m3', dimension: 1024 })).toBe('strata_baai_bge_m3_1024');
    expect(store.description).toBe('qdrant at 127.0.0.1:6333');
  });
});
