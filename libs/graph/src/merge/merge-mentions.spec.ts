import {
  type EntityMention,
  MAX_MERGED_MENTIONS,
  mergeEntityMentions,
  mergeRelationMentions,
  type RelationMention,
} from './merge-mentions';

const D1 = '0190a000-0000-7000-8000-000000000001';
const D2 = '0190a000-0000-7000-8000-000000000002';
const C1 = '0190b000-0000-7000-8000-00000000000a';
const C2 = '0190b000-0000-7000-8000-00000000000b';
const C3 = '0190b000-0000-7000-8000-00000000000c';
/** Chunks of the second document. */
const C4 = '0190b000-0000-7000-8000-00000000000d';
const C5 = '0190b000-0000-7000-8000-00000000000e';

const entity = (m: Partial<EntityMention>): EntityMention => ({
  documentId: D1,
  chunkId: C1,
  key: 'oslo',
  name: 'Oslo',
  type: 'location',
  description: '',
  ...m,
});

const relation = (m: Partial<RelationMention>): RelationMention => ({
  documentId: D1,
  chunkId: C1,
  sourceKey: 'norway',
  targetKey: 'oslo',
  keywords: '',
  description: '',
  weight: 1,
  ...m,
});

describe('merging entities from their mentions alone', () => {
  it('takes the name of the first mention by document then chunk, whatever the row order', async () => {
    const [merged] = await mergeEntityMentions([
      entity({ documentId: D2, chunkId: C4, name: 'OSLO' }),
      // The first chunk id of all, in the later document: the document comes first.
      entity({ documentId: D2, chunkId: C1, name: 'Oslo (later)' }),
      entity({ documentId: D1, chunkId: C3, name: 'oslo' }),
      entity({ documentId: D1, chunkId: C2, name: 'Oslo' }),
    ]);
    expect(merged.name).toBe('Oslo');
    expect(merged.sourceChunkIds).toEqual([C2, C3, C1, C4]);
  });

  it('takes the most frequent type, and of tied ones the first in byte order', async () => {
    expect(
      (
        await mergeEntityMentions([
          entity({ chunkId: C1, type: 'location' }),
          entity({ chunkId: C2, type: 'organization' }),
          entity({ chunkId: C3, type: 'organization' }),
        ])
      )[0].type,
    ).toBe('organization');
    // Byte order puts upper case first, where a linguistic collation would not.
    expect(
      (
        await mergeEntityMentions([
          entity({ chunkId: C1, type: 'place' }),
          entity({ chunkId: C2, type: 'Zone' }),
        ])
      )[0].type,
    ).toBe('Zone');
  });

  it('keeps distinct non-empty descriptions in the order of the mention that first says each', async () => {
    const [merged] = await mergeEntityMentions([
      entity({ documentId: D2, chunkId: C4, description: 'b from the second' }),
      entity({ documentId: D1, chunkId: C2, description: 'z from the first' }),
      entity({ documentId: D1, chunkId: C3, description: '' }),
      entity({ documentId: D2, chunkId: C5, description: 'z from the first' }),
      entity({ documentId: D1, chunkId: C1, description: 'a from the first' }),
    ]);
    expect(merged.descriptions).toEqual(['a from the first', 'z from the first', 'b from the second']);
    expect(merged.editedDescription).toBeNull();
  });

  it('lists each source chunk once in id order, and counts a repeated key and chunk once (the first)', async () => {
    const [merged] = await mergeEntityMentions([
      entity({ chunkId: C2, type: 'person', description: 'kept' }),
      entity({ chunkId: C2, type: 'other', description: 'dropped: same key and chunk' }),
      entity({ chunkId: C1.toUpperCase(), type: 'person' }),
    ]);
    expect(merged.sourceChunkIds).toEqual([C1, C2]);
    expect(merged.descriptions).toEqual(['kept']);
    expect(merged.type).toBe('person');
  });

  it('is made from the earliest mentions alone, however many there are', async () => {
    const total = MAX_MERGED_MENTIONS + 20;
    const chunk = (i: number) => `0190c000-0000-7000-8000-${String(i).padStart(12, '0')}`;
    // Later chunks come first in the rows, and one of them says what the earliest do not.
    const mentions = Array.from({ length: total }, (_, i) =>
      entity({
        chunkId: chunk(total - 1 - i),
        type: i < 30 ? 'late type' : 'location',
        description: i === 0 ? 'only said late' : `said in chunk ${total - 1 - i}`,
      }),
    );
    const [merged] = await mergeEntityMentions(mentions);
    expect(merged.sourceChunkIds).toEqual(Array.from({ length: MAX_MERGED_MENTIONS }, (_, i) => chunk(i)));
    expect(merged.descriptions).toHaveLength(MAX_MERGED_MENTIONS);
    expect(merged.descriptions[0]).toBe('said in chunk 0');
    expect(merged.descriptions).not.toContain('only said late');
    // 30 late mentions of the other type: only 10 of them are among the earliest 100.
    expect(merged.type).toBe('location');
  });

  it('answers one merged entity per key', async () => {
    const merged = await mergeEntityMentions([
      entity({ key: 'oslo' }),
      entity({ key: 'bergen', name: 'Bergen' }),
    ]);
    expect(merged.map((e) => e.key).sort()).toEqual(['bergen', 'oslo']);
  });
});

describe('merging relations from their mentions alone', () => {
  it('sums weights, keeps distinct keyword lists in byte order and drops empty ones', async () => {
    const [merged] = await mergeRelationMentions([
      relation({ chunkId: C1, keywords: 'capital', weight: 2 }),
      relation({ chunkId: C2, keywords: '', weight: 1.5 }),
      relation({ chunkId: C3, keywords: 'Capital, city', weight: 1 }),
      relation({ documentId: D2, chunkId: C4, keywords: 'capital', weight: 1 }),
    ]);
    expect(merged.weight).toBe(5.5);
    expect(merged.keywords).toEqual(['Capital, city', 'capital']);
    expect(merged.sourceChunkIds).toHaveLength(4);
  });

  it('sums the weights of the earliest mentions alone', async () => {
    const chunk = (i: number) => `0190c000-0000-7000-8000-${String(i).padStart(12, '0')}`;
    const [merged] = await mergeRelationMentions(
      Array.from({ length: MAX_MERGED_MENTIONS + 5 }, (_, i) =>
        relation({ chunkId: chunk(i), weight: i < MAX_MERGED_MENTIONS ? 1 : 1000, keywords: `k${i}` }),
      ),
    );
    expect(merged.weight).toBe(MAX_MERGED_MENTIONS);
    expect(merged.keywords).toHaveLength(MAX_MERGED_MENTIONS);
    expect(merged.sourceChunkIds).toHaveLength(MAX_MERGED_MENTIONS);
  });

  it('keeps pairs apart and counts a repeated pair and chunk once', async () => {
    const merged = await mergeRelationMentions([
      relation({ chunkId: C1, weight: 1 }),
      relation({ chunkId: C1, weight: 7 }),
      relation({ sourceKey: 'bergen', chunkId: C1, weight: 3 }),
    ]);
    expect(merged.map((r) => [r.sourceKey, r.weight]).sort()).toEqual([
      ['bergen', 3],
      ['norway', 1],
    ]);
  });
});
