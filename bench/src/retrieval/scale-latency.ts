import { type BenchTenant, waitUntilSearchable } from '../bench-tenant';
import { stepProfileAt } from '../ingest/step-profile';
import { nextRefresh, type StatementTime, statementTimes } from '../ingest/statement-times';
import type { Client } from '../server';
import { accessListFixture, RESTRICTED_EVERY } from './access-lists';
import { type Collection, documentText } from './collection';
import { quantile } from './metrics';

/** The KB size the latency target is stated at. */
export const SCALE_CHUNKS = 10_000;

/** Naive queries on one KB of at least SCALE_CHUNKS chunks, beside the database's own time on them. */
export interface ScaleLatency {
  copies: number;
  documents: number;
  chunks: number;
  /** Upload until every document is searchable. */
  load_s: number;
  /** Of the ingest jobs' time meanwhile, packing the KB's full-text postings (their `pack` step, summed). */
  pack_s: number;
  /** Packing that ended while the questions were first asked (a packing the last documents started). */
  pack_during_questions_s: number;
  questions: number;
  p50_ms: number;
  p95_ms: number;
  /**
   * Every question asked again right after: the postings the first asks read are then in the
   * API's memory, so the difference from p50_ms and p95_ms is what reading them cost.
   */
  again_p50_ms: number;
  again_p95_ms: number;
  /** The database's time per question, mean: every statement the queries ran (parse, bind, execute). */
  database_ms_per_question: number;
  /** Of it, the full-text search's statements: the floor under the route's latency. */
  search_ms_per_question: number;
  /**
   * The questions asked by a viewer (warm, like `again_*`): with no access lists, then with 1 in
   * RESTRICTED_EVERY documents hidden from them, and how many of their references were hidden
   * documents (a leak: must be 0).
   */
  viewer_p50_ms: number;
  viewer_p95_ms: number;
  hidden_p50_ms: number;
  hidden_p95_ms: number;
  hidden_documents: number;
  hidden_cited: number;
}

/**
 * The search's statements (see searchChunkTerms): the statistics and postings read of each pass,
 * and the feedback chunks' terms.
 */
const isSearchStatement = (statement: string) =>
  statement.startsWith('WITH question AS') || statement.startsWith('SELECT c.id, t.terms, t.tfs');

/**
 * Latency of naive queries at scale: the collection loaded as many times as it takes to reach
 * SCALE_CHUNKS chunks in one KB (each copy's text marked with its number, so none is a duplicate;
 * graph extraction off, as only naive is asked), then every question asked once, and once more
 * (the second time with the postings in memory). The server
 * writes its statement totals to `statementsFile` every 2 s; the difference over the questions
 * is the database's part.
 */
export async function scaleLatency(
  tenant: BenchTenant,
  collection: Collection,
  statementsFile: string,
  base: string,
): Promise<ScaleLatency> {
  const metricsUrl = `${base}/metrics`;
  const packing = async () => (await stepProfileAt(metricsUrl)).ingest.pack ?? 0;
  const packedBefore = await packing();
  const { admin } = tenant;
  const kbId = await tenant.createKnowledgeBase({
    extraction: { enabled: false },
    query: { default_mode: 'naive' },
  });
  const kbPath = `/api/v1/tenants/${tenant.tenantId}/knowledge-bases/${kbId}`;
  const copies = Math.ceil(SCALE_CHUNKS / Math.max(1, collection.documents.length));
  const started = performance.now();
  for (let copy = 1; copy <= copies; copy++) {
    const documents = collection.documents.map((d) => ({
      title: `${(d.title.trim() || d.id).slice(0, 480)} (copy ${copy})`,
      text: `${documentText(d)}\n\nCopy ${copy}.`,
    }));
    for (let i = 0; i < documents.length; i += 100) {
      await admin.call('POST', `${kbPath}/documents`, { documents: documents.slice(i, i + 100) });
    }
  }
  await waitUntilSearchable(admin, `${kbPath}/documents`);
  const loaded = performance.now();
  const packedAfter = await packing();
  const { documents, chunks, ids } = await countChunks(admin, `${kbPath}/documents`);

  const askEach = async (client: Client = admin, cited: (ids: string[]) => void = () => undefined) => {
    const times: number[] = [];
    for (const query of collection.queries) {
      const asked = performance.now();
      const answer = await client.call<{ references: Array<{ document_id: string }> }>(
        'POST',
        `${kbPath}/query`,
        {
          query: query.text,
          mode: 'naive',
          only_need_context: true,
        },
      );
      times.push(performance.now() - asked);
      cited(answer.references.map((r) => r.document_id));
    }
    return times;
  };
  const before = await statementTotals(statementsFile);
  const times = await askEach();
  const after = await statementTotals(statementsFile);
  const packedWhileAsked = await packing();
  const again = await askEach();
  // The cost of access lists at this size: a viewer, then the same viewer with documents hidden.
  const access = await accessListFixture(base, tenant, 'scale');
  const viewer = await askEach(access.viewer);
  const chosen = ids.filter((_, i) => i % RESTRICTED_EVERY === 0);
  const hiddenIds = new Set(chosen);
  await access.restrict(kbPath, chosen, 'hidden');
  let hiddenCited = 0;
  const hidden = await askEach(access.viewer, (cited) => {
    hiddenCited += cited.filter((id) => hiddenIds.has(id)).length;
  });
  const spent = (only: (statement: string) => boolean) =>
    [...after].reduce((sum, [statement, t]) => {
      if (!only(statement)) return sum;
      return sum + t.ms - (before.get(statement)?.ms ?? 0);
    }, 0);
  const n = Math.max(1, collection.queries.length);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    copies,
    documents,
    chunks,
    load_s: round((loaded - started) / 1000),
    pack_s: round(packedAfter - packedBefore),
    pack_during_questions_s: round(packedWhileAsked - packedAfter),
    questions: collection.queries.length,
    p50_ms: round(quantile(times, 0.5)),
    p95_ms: round(quantile(times, 0.95)),
    again_p50_ms: round(quantile(again, 0.5)),
    again_p95_ms: round(quantile(again, 0.95)),
    database_ms_per_question: round(spent(() => true) / n),
    search_ms_per_question: round(spent(isSearchStatement) / n),
    viewer_p50_ms: round(quantile(viewer, 0.5)),
    viewer_p95_ms: round(quantile(viewer, 0.95)),
    hidden_p50_ms: round(quantile(hidden, 0.5)),
    hidden_p95_ms: round(quantile(hidden, 0.95)),
    hidden_documents: chosen.length,
    hidden_cited: hiddenCited,
  };
}

async function countChunks(
  admin: Client,
  documentsPath: string,
): Promise<{ documents: number; chunks: number; ids: string[] }> {
  let documents = 0;
  let chunks = 0;
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Array<{ id: string; chunk_count: number }>; next_cursor: string | null } =
      await admin.call(
        'GET',
        `${documentsPath}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
    documents += page.items.length;
    chunks += page.items.reduce((sum, d) => sum + d.chunk_count, 0);
    ids.push(...page.items.map((d) => d.id));
    cursor = page.next_cursor;
  } while (cursor);
  return { documents, chunks, ids };
}

/** The statement totals once the server has written what came before. */
async function statementTotals(file: string): Promise<Map<string, StatementTime>> {
  await nextRefresh();
  return new Map(statementTimes(file).map((row) => [row.statement, row]));
}
