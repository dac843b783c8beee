import { makeDocx, makeExpandingDocx } from '../../../../../test/fixtures/documents';
import { ParseError } from '../parse-error';
import { assertZipWithinBounds } from './zip-bounds';

const MB = 1024 * 1024;

describe('assertZipWithinBounds', () => {
  it('accepts a document within the bounds', async () => {
    const docx = await makeDocx(['one', 'two']);
    expect(() => assertZipWithinBounds(docx, { maxEntries: 10, maxExpandedBytes: MB })).not.toThrow();
  });

  it('refuses a document that declares it unpacks to more than the bound, from its directory alone', () => {
    const bomb = makeExpandingDocx(20 * MB);
    expect(bomb.length).toBeLessThan(MB / 10);
    expect(() => assertZipWithinBounds(bomb, { maxEntries: 10, maxExpandedBytes: 10 * MB })).toThrow(
      new ParseError('the document expands to more than 10 MB when unpacked'),
    );
  });

  it('refuses too many entries, and what is not a zip', async () => {
    const docx = await makeDocx(['x']);
    expect(() => assertZipWithinBounds(docx, { maxEntries: 2, maxExpandedBytes: MB })).toThrow(
      /holds 5 entries; at most 2 are accepted/,
    );
    expect(() =>
      assertZipWithinBounds(Buffer.from('plain text, not a zip'), { maxEntries: 2, maxExpandedBytes: MB }),
    ).toThrow(/not a valid zip archive/);
  });
});
