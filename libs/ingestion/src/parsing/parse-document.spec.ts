import { CORRUPT_PDF, makeDocx, oneFileOfEachFormat } from '../../../../test/fixtures/documents';
import { detectFormat, mimeTypeFor, normalizeText } from '@strata/documents';
import { parseDocument } from './parse-document';
import { ParseError } from './parse-error';

describe('parseDocument', () => {
  it.each([['txt'], ['md'], ['html'], ['pdf'], ['docx'], ['csv'], ['json']])(
    'reads the %s fixture and finds its marker sentence',
    async (extension) => {
      const file = (await oneFileOfEachFormat()).find((f) => f.name.endsWith(`.${extension}`))!;
      const text = normalizeText(await parseDocument(detectFormat(file.name, file.mimeType), file.content));
      expect(text).toContain(file.marker);
    },
  );

  it('drops scripts from HTML and keeps headings as markdown headings', async () => {
    const text = await parseDocument(
      'html',
      Buffer.from('<h2>Hours</h2><p>Open daily.</p><script>alert(1)</script>'),
    );
    expect(text).toContain('## Hours');
    expect(text).not.toContain('alert');
  });

  it('turns CSV rows into "column: value" paragraphs', async () => {
    const text = await parseDocument('csv', Buffer.from('name,city\nAda,London\nGrace,\n'));
    expect(text).toBe('name: Ada; city: London\n\nname: Grace');
  });

  it('flattens JSON into path: value lines', async () => {
    const text = await parseDocument('json', Buffer.from('{"a":{"b":[1,{"c":"x"}]},"n":null}'));
    expect(text).toBe('a.b[0]: 1\na.b[1].c: x');
  });

  it.each([
    ['a corrupt PDF', 'pdf' as const, CORRUPT_PDF, /the PDF cannot be read/],
    [
      'a corrupt docx',
      'docx' as const,
      Buffer.from('PK\u0003\u0004 not really a zip'),
      /Word document cannot be read/,
    ],
    ['malformed JSON', 'json' as const, Buffer.from('{"a": '), /JSON is malformed/],
    [
      'a binary file named .txt',
      'txt' as const,
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
      /binary, not text/,
    ],
    ['an unsupported type', null, Buffer.from('x'), /unsupported file type/],
  ])('turns %s into a readable ParseError', async (_name, format, content, message) => {
    const error = await parseDocument(format, content).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as Error).message).toMatch(message);
  });

  it('reads a docx with several paragraphs in order', async () => {
    const text = await parseDocument('docx', await makeDocx(['First.', 'Second.']));
    expect(normalizeText(text)).toBe('First.\n\nSecond.');
  });
});

describe('detectFormat', () => {
  it('prefers the extension, falls back to the MIME type, else null', () => {
    expect(detectFormat('A.PDF', 'application/octet-stream')).toBe('pdf');
    expect(detectFormat('upload', 'text/markdown; charset=utf-8')).toBe('md');
    expect(detectFormat('archive.zip', 'application/zip')).toBeNull();
    expect(mimeTypeFor('notes.txt', null)).toBe('text/plain');
    expect(mimeTypeFor('archive.zip', 'application/zip')).toBe('application/zip');
  });
});
