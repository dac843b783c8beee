import { BadRequest, ErrorCode } from '@strata/core';
import { mimeTypeFor } from '../content/document-format';
import { contentHash, normalizeText } from '../content/normalize-text';
import type { CreateDocumentsDto, TextDocumentDto } from '../dto/document.dto';
import { NewDocument, titleFromText } from '../new-document';

/** A multipart file part as a document to add; its title is the file name. */
export function fileToNewDocument(file: Express.Multer.File, metadata: Record<string, unknown>): NewDocument {
  // Busboy reads part headers as latin1; browsers send UTF-8 file names.
  const name = Buffer.from(file.originalname, 'latin1').toString('utf8');
  return {
    title: name,
    sourceName: name,
    mimeType: mimeTypeFor(name, file.mimetype),
    content: file.buffer,
    metadata,
    contentHash: null,
  };
}

/** The texts of a JSON body, stored as markdown (a superset of plain text). */
export function textsToNewDocuments(dto: CreateDocumentsDto): NewDocument[] {
  const single = dto.text !== undefined || dto.title !== undefined;
  if (dto.documents && single) {
    throw new BadRequest(
      ErrorCode.VALIDATION_FAILED,
      'Send either text (one document) or documents (several), not both',
    );
  }
  const items: TextDocumentDto[] = dto.documents ?? (single ? [dto as TextDocumentDto] : []);
  if (items.length === 0) {
    throw new BadRequest(
      ErrorCode.NO_DOCUMENTS,
      'The request holds no document: send text, documents or files',
    );
  }
  return items.map((item, i) => {
    if (typeof item.text !== 'string' || item.text.length === 0) {
      throw new BadRequest(
        ErrorCode.VALIDATION_FAILED,
        `${dto.documents ? `documents[${i}].` : ''}text must be a non-empty string`,
      );
    }
    const normalized = normalizeText(item.text);
    if (normalized.length === 0) {
      throw new BadRequest(
        ErrorCode.VALIDATION_FAILED,
        `${dto.documents ? `documents[${i}].` : ''}text holds no visible characters`,
      );
    }
    return {
      title: item.title ?? titleFromText(normalized),
      sourceName: null,
      mimeType: 'text/markdown',
      content: Buffer.from(normalized, 'utf8'),
      metadata: item.metadata ?? {},
      contentHash: contentHash(normalized),
    };
  });
}
