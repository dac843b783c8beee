import type { GraphRelation, RankedEntity } from '@strata/storage';

/** An entity for retrieval unit tests: its key is its name and id, its chunks as given. */
export const testEntity = (key: string, chunks: string[], degree = 1): RankedEntity => ({
  id: key,
  key,
  name: key,
  type: 'person',
  description: '',
  sourceChunkIds: chunks,
  degree,
});

/** A relation a → b for retrieval unit tests, found in the chunks given; its id is `a-b`. */
export const testRelation = (a: string, b: string, chunks: string[]): GraphRelation => ({
  id: `${a}-${b}`,
  sourceKey: a,
  targetKey: b,
  keywords: '',
  description: '',
  weight: 1,
  sourceChunkIds: chunks,
});
