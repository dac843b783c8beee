import type { DeletionReceipt } from '../api/types';

/** Each store's count in a receipt, with its name for one and for several. */
const STORES: Array<[keyof DeletionReceipt['remains'], string, string]> = [
  ['documents', 'document row', 'document rows'],
  ['chunks', 'chunk', 'chunks'],
  ['vectors', 'vector', 'vectors'],
  ['graph_mentions', 'graph mention', 'graph mentions'],
  ['blobs', 'original', 'originals'],
];

/** What is left, store by store, in words: "3 chunks, 3 vectors, 1 original". */
export function remainsText(remains: DeletionReceipt['remains']): string {
  const left = STORES.filter(([key]) => remains[key] > 0).map(
    ([key, one, many]) => `${remains[key]} ${remains[key] === 1 ? one : many}`,
  );
  return left.length === 0 ? 'nothing' : left.join(', ');
}
