import { contentHash } from '../content/normalize-text';
import type { CreateDocumentsDto } from '../dto/document.dto';
import { sourceHashOf, titleFromText } from '../new-document';
import { fileToNewDocument, textsToNewDocuments } from './new-documents';

const file = (originalname: string, mimetype: string, content: string) =>
  ({ originalname, mimetype, buffer: Buffer.from(content), size: content.length }) as Express.Multer.File;

describe('textsToNewDocuments', () => {
  it('turns one text into a markdown document titled by its first line, hashed over the normalised text', () => {
    const [doc] = textsToNewDocuments({
      text: '# Travel policy\r\n\r\nBook economy.  \n',
    } as CreateDocumentsDto);
    expect(doc).toMatchObject({
      title: 'Travel policy',
      mimeType: 'text/markdown',
      sourceName: null,
      metadata: {},
    });
    expect(doc.content.toString()).toBe('# Travel policy\n\nBook economy.');
    expect(doc.contentHash).toBe(contentHash('# Travel policy\n\nBook economy.'));
  });

  it('keeps given titles and metadata, for one text or several', () => {
    const docs = textsToNewDocuments({
      documents: [{ text: 'a', title: 'A', metadata: { k: 1 } }, { text: 'b' }],
    } as CreateDocumentsDto);
    expect(docs.map((d) => [d.title, d.metadata])).toEqual([
      ['A', { k: 1 }],
      ['b', {}],
    ]);
  });

  it.each([
    [{}, /holds no document/],
    [{ text: 'a', documents: [{ text: 'b' }] }, /either text .* or documents/],
    [{ documents: [{ text: 'ok' }, { text: ' \n ' }] }, /documents\[1\]\.text holds no visible characters/],
    [{ title: 'only a title' }, /text must be a non-empty string/],
  ])('refuses %j', (dto, message) => {
    expect(() => textsToNewDocuments(dto as CreateDocumentsDto)).toThrow(message);
  });
});

describe('fileToNewDocument', () => {
  it('names the document after the file (UTF-8 names survive busboy) and detects the type by extension', () => {
    const latin1Name = Buffer.from('Größe.md', 'utf8').toString('latin1');
    const doc = fileToNewDocument(file(latin1Name, 'application/octet-stream', '# x'), { team: 'a' });
    expect(doc).toMatchObject({
      title: 'Größe.md',
      sourceName: 'Größe.md',
      mimeType: 'text/markdown',
      contentHash: null,
    });
    expect(doc.metadata).toEqual({ team: 'a' });
  });
});

describe('titleFromText and sourceHashOf', () => {
  it('cuts long first lines and hashes bytes', () => {
    expect(titleFromText(`${'x'.repeat(200)}\nrest`)).toHaveLength(120);
    expect(titleFromText('\n\n## Heading\nbody')).toBe('Heading');
    expect(sourceHashOf(Buffer.from('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
