import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Judgments } from './metrics';

export interface CollectionDocument {
  id: string;
  title: string;
  text: string;
}

/** A test collection in the BEIR layout: corpus.jsonl, queries.jsonl and qrels.tsv in one folder. */
export interface Collection {
  name: string;
  /** Documents with text, in file order. */
  documents: CollectionDocument[];
  /** Ids of documents with neither title nor text, left out. */
  empty: string[];
  /** Questions that have at least one relevant judgment; the others cannot be scored. */
  queries: Array<{ id: string; text: string }>;
  judgments: Map<string, Judgments>;
}

/** Reads a collection; the text of a document is its title and body, as the baseline indexes it. */
export function loadCollection(dir: string): Collection {
  const corpus = jsonLines(join(dir, 'corpus.jsonl')).map((row, i) => {
    if (typeof row.id !== 'string' && typeof row.id !== 'number')
      throw new Error(`corpus.jsonl line ${i + 1} has no id`);
    return { id: String(row.id), title: stringOr(row.title), text: stringOr(row.text) };
  });
  const judgments = new Map<string, Map<string, number>>();
  const lines = readFileSync(join(dir, 'qrels.tsv'), 'utf8').split('\n');
  for (const [i, line] of lines.entries()) {
    if (!line.trim() || (i === 0 && /^query[-_]id\b/i.test(line))) continue;
    const [queryId, docId, grade] = line.split('\t');
    if (docId === undefined || !Number.isFinite(Number(grade)))
      throw new Error(`qrels.tsv line ${i + 1} is not "query-id<TAB>corpus-id<TAB>score"`);
    const forQuery = judgments.get(queryId) ?? new Map<string, number>();
    forQuery.set(docId, Number(grade));
    judgments.set(queryId, forQuery);
  }
  const queries = jsonLines(join(dir, 'queries.jsonl'))
    .map((row) => ({ id: String(row.id), text: stringOr(row.text) }))
    .filter((q) => q.text.trim() && [...(judgments.get(q.id)?.values() ?? [])].some((grade) => grade > 0));
  return {
    name: basename(dir),
    documents: corpus.filter((d) => (d.title + d.text).trim()),
    empty: corpus.filter((d) => !(d.title + d.text).trim()).map((d) => d.id),
    queries,
    judgments,
  };
}

/** The text a document is indexed with, by Strata and by the baseline alike. */
export function documentText(document: CollectionDocument): string {
  return [document.title, document.text].filter((part) => part.trim()).join('\n\n');
}

function jsonLines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${path} line ${i + 1} is not JSON`);
      }
    });
}

const stringOr = (value: unknown) => (typeof value === 'string' ? value : '');
