import { PACK_MIN_ROWS, packingDue } from './term-packs.repository';

describe('packingDue', () => {
  it('leaves a small KB as rows', () => {
    expect(
      packingDue({ unpackedRows: PACK_MIN_ROWS - 1, unpackedPostings: PACK_MIN_ROWS - 1, packedPostings: 0 }),
    ).toBe(false);
    expect(
      packingDue({ unpackedRows: PACK_MIN_ROWS, unpackedPostings: PACK_MIN_ROWS, packedPostings: 0 }),
    ).toBe(true);
  });

  it('packs rows of one chunk each once they pass a third of what is packed', () => {
    const due = (rows: number) =>
      packingDue({ unpackedRows: rows, unpackedPostings: rows, packedPostings: 300_000 });
    expect(due(99_000)).toBe(false);
    expect(due(100_000)).toBe(true);
  });

  it('never packs rows that list four chunks or more each', () => {
    expect(packingDue({ unpackedRows: 100_000, unpackedPostings: 400_001, packedPostings: 0 })).toBe(false);
    expect(packingDue({ unpackedRows: 100_000, unpackedPostings: 300_000, packedPostings: 0 })).toBe(true);
  });
});
