import { randomBytes } from 'node:crypto';
import type { AcceptedDocument, DocumentOrder, DocumentStatusRow, ListedStatus } from '@strata/documents';
import type { LightRagSortField } from './dto/lightrag-documents.dto';

/** A document as LightRAG's document routes list it (its `DocStatusResponse`). */
export interface LightRagDocStatus {
  id: string;
  content_summary: string;
  content_length: number;
  status: ListedStatus;
  created_at: string;
  updated_at: string;
  track_id: string | null;
  chunks_count: number | null;
  error_msg: string | null;
  metadata: Record<string, unknown>;
  file_path: string;
}

/** What LightRAG's insert and upload routes answer (its `InsertResponse`), with Strata's ids beside it. */
export interface LightRagInsertResponse {
  status: 'success' | 'duplicated' | 'partial_success';
  message: string;
  track_id: string;
  strata: { documents: AcceptedDocument[] };
}

/**
 * A new track id in LightRAG's form, `<operation>_<UTC yyyymmdd_hhmmss>_<8 hex>`: readable, and
 * unique without a counter.
 */
export function newTrackId(operation: 'insert' | 'upload' | 'reprocess', now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 'yyyymmdd_hhmmss'.length);
  return `${operation}_${stamp}_${randomBytes(4).toString('hex')}`;
}

/**
 * A document in LightRAG's shape: `content_summary` is the start of its text once chunked (its
 * title before), `content_length` the size of its original in bytes, `file_path` its title, and
 * `chunks_count` null until it is processed.
 */
export function lightRagDocStatus(doc: DocumentStatusRow, opening: string | undefined): LightRagDocStatus {
  return {
    id: doc.id,
    content_summary: opening ?? doc.title,
    content_length: doc.sizeBytes,
    status: doc.status,
    created_at: doc.createdAt.toISOString(),
    updated_at: doc.updatedAt.toISOString(),
    track_id: doc.trackId,
    chunks_count: doc.status === 'processed' ? doc.chunkCount : null,
    error_msg: doc.error,
    metadata: doc.metadata,
    file_path: doc.title,
  };
}

/** LightRAG's answer to an insert: new documents are a success; content already in the KB, a duplicate. */
export function insertResponse(accepted: AcceptedDocument[], trackId: string): LightRagInsertResponse {
  const duplicates = accepted.filter((d) => d.duplicate);
  const added = accepted.length - duplicates.length;
  const already = (n: number) =>
    `${n} ${n === 1 ? 'was' : 'were'} already in the knowledge base (${duplicates
      .slice(0, 3)
      .map((d) => `'${d.title}', status ${d.status}`)
      .join('; ')}${n > 3 ? '; …' : ''})`;
  if (added === 0) {
    return {
      status: 'duplicated',
      message: `Nothing added: ${already(duplicates.length)}.`,
      track_id: '',
      strata: { documents: accepted },
    };
  }
  const received = `${added} document${added === 1 ? '' : 's'} received. Processing will continue in background`;
  return {
    status: duplicates.length === 0 ? 'success' : 'partial_success',
    message: duplicates.length === 0 ? `${received}.` : `${received}; ${already(duplicates.length)}.`,
    track_id: trackId,
    strata: { documents: accepted },
  };
}

/** The document column each LightRAG sort field orders by. */
export const SORT_COLUMNS: Record<LightRagSortField, DocumentOrder> = {
  created_at: 'createdAt',
  updated_at: 'updatedAt',
  id: 'id',
  file_path: 'title',
};

/**
 * LightRAG's pipeline status, from what the KB's documents say: busy while documents wait or are
 * processed, or their graph stage waits or is built. Strata runs documents as jobs, not in one
 * pipeline pass, so batches are not counted and no message history is kept.
 */
export function pipelineStatus(inFlight: { documents: number; graphs: number; since: Date | null }) {
  const busy = inFlight.documents + inFlight.graphs > 0;
  const parts = [
    inFlight.documents > 0
      ? `${inFlight.documents} document${inFlight.documents === 1 ? '' : 's'} to process`
      : null,
    inFlight.graphs > 0
      ? `${inFlight.graphs} knowledge-graph stage${inFlight.graphs === 1 ? '' : 's'} to build`
      : null,
  ].filter((p): p is string => p !== null);
  return {
    autoscanned: false,
    busy,
    job_name: busy ? 'Processing documents' : 'Default Job',
    job_start: inFlight.since?.toISOString() ?? null,
    docs: inFlight.documents + inFlight.graphs,
    batchs: 0,
    cur_batch: 0,
    request_pending: false,
    latest_message: busy ? parts.join('; ') : 'All documents are processed',
    history_messages: [] as string[],
    update_status: {},
  };
}
