import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics, served at /metrics. One registry per process (a scrape target
 * is a process); metrics are module singletons so any layer can record without wiring. No metric
 * has a tenant label: tenants are unbounded, and a label per tenant would grow without end.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'strata_' });

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const httpRequestDuration = new Histogram({
  name: 'strata_http_request_duration_seconds',
  help: 'HTTP requests by route pattern, method and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: SECONDS,
  registers: [metricsRegistry],
});

export const rateLimitRejections = new Counter({
  name: 'strata_rate_limit_rejections_total',
  help: 'Requests answered 429 for a tenant quota, by the quota code',
  labelNames: ['code'] as const,
  registers: [metricsRegistry],
});

export const accessCacheLookups = new Counter({
  name: 'strata_access_cache_lookups_total',
  help: "Reads of who may do what (a session, an API key, a tenant resolution) by kind and result: hit (from this replica's cache), miss (read and kept), uncached (read and not kept: the change feed was not live or a change came meanwhile)",
  labelNames: ['kind', 'result'] as const,
  registers: [metricsRegistry],
});

export const jobDuration = new Histogram({
  name: 'strata_job_duration_seconds',
  help: 'Background jobs (ingest, delete-document, purge) by outcome',
  labelNames: ['type', 'outcome'] as const,
  buckets: [0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
  registers: [metricsRegistry],
});

export const ingestedChunks = new Counter({
  name: 'strata_ingested_chunks_total',
  help: 'Chunks of processed documents (rate() of it is ingestion throughput)',
  registers: [metricsRegistry],
});

const CONNECTION_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export const dbConnectionWait = new Histogram({
  name: 'strata_db_connection_wait_seconds',
  help: 'Waits for a database connection, by lane (request, job, graph): requests go first, so their wait is what the longest job hold costs them',
  labelNames: ['lane'] as const,
  buckets: CONNECTION_SECONDS,
  registers: [metricsRegistry],
});

export const dbConnectionHold = new Histogram({
  name: 'strata_db_connection_hold_seconds',
  help: 'How long a database connection was held (a statement, or a transaction with the work between its statements), by lane',
  labelNames: ['lane'] as const,
  buckets: CONNECTION_SECONDS,
  registers: [metricsRegistry],
});

export const providerRequestDuration = new Histogram({
  name: 'strata_provider_request_duration_seconds',
  // No host label: tenants may configure endpoints of their own, so hosts are not bounded.
  help: 'Calls to model providers (embedding, chat, rerank endpoints) by outcome (ok or the failure kind)',
  labelNames: ['outcome'] as const,
  buckets: SECONDS,
  registers: [metricsRegistry],
});

export const queueDepth = new Gauge({
  name: 'strata_queue_depth',
  help: 'Jobs waiting in the queue, read at scrape',
  registers: [metricsRegistry],
});

export const documentsByStatus = new Gauge({
  name: 'strata_documents',
  help: 'Documents of all tenants by status, read at scrape',
  labelNames: ['status'] as const,
  registers: [metricsRegistry],
});

/**
 * The steps of a graph merge, in order (see GraphMerger), and before them the time the graph job
 * waited for the batch to be claimed and extracted (which runs while the previous batch merges,
 * after giving way to ingestion in the process; see IngestionActivity).
 */
export type GraphMergeStep =
  'extraction-wait' | 'mentions' | 'read' | 'graph' | 'vector-lookup' | 'embed' | 'vector-write';

export const graphMergeStepDuration = new Histogram({
  name: 'strata_graph_merge_step_seconds',
  help: 'Steps of merging extracted entities and relations into a KB graph: extraction-wait (for the batch to be claimed and extracted, giving way to ingestion first), mentions (their transaction), read (merged forms), graph (store writes), vector-lookup, embed, vector-write',
  labelNames: ['step'] as const,
  buckets: SECONDS,
  registers: [metricsRegistry],
});

export const graphMergedItems = new Counter({
  name: 'strata_graph_merged_total',
  help: 'Entities and relations merged into graphs, by kind and by source of their merged form: first-mentions (only the batch mentions them, merged from it) or read-back (from their earliest mentions in the database)',
  labelNames: ['kind', 'source'] as const,
  registers: [metricsRegistry],
});

/** Runs `work` as a step of a graph merge, timed in strata_graph_merge_step_seconds. */
export function graphMergeStep<T>(step: GraphMergeStep, work: () => Promise<T>): Promise<T> {
  return timed(graphMergeStepDuration, step, work);
}

/**
 * The steps that make one document searchable, in order (see IngestDocumentJob): claim, read (the
 * original from blob storage), prepare (parse, normalise and chunk on the CPU pool, including the
 * wait for a pool thread), embed, chunk-write (old vectors out, chunks and full-text postings in),
 * vector-write, finish (processed, with its audit event) and pack (the KB's full-text postings
 * packed when enough have been added, see packTermsWhenDue; after the document is searchable).
 */
export type IngestStep =
  'claim' | 'read' | 'prepare' | 'embed' | 'chunk-write' | 'vector-write' | 'finish' | 'pack';

export const ingestStepDuration = new Histogram({
  name: 'strata_ingest_step_seconds',
  help: 'Steps of making a document searchable: claim, read (the original), prepare (parse and chunk on the CPU pool, with its wait), embed, chunk-write (chunks and full text), vector-write, finish, pack (full-text postings packed, after searchable)',
  labelNames: ['step'] as const,
  buckets: SECONDS,
  registers: [metricsRegistry],
});

/** Runs `work` as a step of ingesting a document, timed in strata_ingest_step_seconds. */
export function ingestStep<T>(step: IngestStep, work: () => Promise<T>): Promise<T> {
  return timed(ingestStepDuration, step, work);
}

async function timed<T>(histogram: Histogram<'step'>, step: string, work: () => Promise<T>): Promise<T> {
  const end = histogram.startTimer({ step });
  try {
    return await work();
  } finally {
    end();
  }
}
