import { contentHash, type DocumentFormat, normalizeText } from '@strata/documents';
import { type ChunkExtraction, EmbeddedExtractor } from '@strata/graph';
import { LexicalEmbedder } from '@strata/providers';
import { chunkText, type ChunkingOptions, type TextChunk } from '../chunking/token-chunker';
import type { ZipBounds } from '../parsing/limits/zip-bounds';
import { parseDocument } from '../parsing/parse-document';
import { ParseError } from '../parsing/parse-error';

/** A document's original, to be made into chunks. */
export interface PrepareInput {
  format: DocumentFormat | null;
  content: Uint8Array;
  chunking: ChunkingOptions;
  zip: ZipBounds;
}

/** The chunks of a document and the hash of its normalised text, or why it has none. */
export type PrepareOutput =
  { ok: true; contentHash: string; chunks: TextChunk[] } | { ok: false; error: string };

/**
 * Parse → normalise → hash → chunk: the CPU work that makes a document searchable, short of
 * embedding. A document that cannot be read answers its reason instead of throwing, because an
 * error's class does not survive the trip back from a worker thread.
 */
export async function prepareDocument(input: PrepareInput): Promise<PrepareOutput> {
  try {
    const content = Buffer.from(input.content.buffer, input.content.byteOffset, input.content.byteLength);
    const text = normalizeText(await parseDocument(input.format, content, { zip: input.zip }));
    if (text.length === 0) return { ok: false, error: 'the document holds no text' };
    return { ok: true, contentHash: contentHash(text), chunks: chunkText(text, input.chunking) };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, error: error.message };
    throw error;
  }
}

const extractor = new EmbeddedExtractor();
const lexical = new LexicalEmbedder();

/** The embedded lexical embedder's vectors of `texts`, one after another in one array. */
export async function embedLexical(texts: string[]): Promise<Float32Array> {
  const flat = new Float32Array(texts.length * lexical.dimension);
  texts.forEach((text, i) => flat.set(lexical.embedOne(text), i * lexical.dimension));
  return flat;
}

/** Entities and relations of each text, by the embedded NLP extractor. */
export async function extractEntities(texts: string[]): Promise<ChunkExtraction[]> {
  const extractions: ChunkExtraction[] = [];
  for (const text of texts) extractions.push(await extractor.extract(text));
  return extractions;
}

/** The tasks the CPU pool runs, by name: a worker thread exports these same functions. */
export const CPU_TASKS = { prepareDocument, extractEntities, embedLexical };
export type CpuTasks = typeof CPU_TASKS;
