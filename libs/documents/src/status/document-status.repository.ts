import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withoutHiddenDocuments } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import { DOCUMENT_STATUSES, type DocumentStatus } from '../entities/document.entity';

/** The statuses a KB's documents are listed and counted in: one being deleted is already gone. */
export const LISTED_STATUSES = DOCUMENT_STATUSES.filter((s) => s !== 'deleting');
export type ListedStatus = Exclude<DocumentStatus, 'deleting'>;

/** What a page of documents can be ordered by. */
export type DocumentOrder = 'createdAt' | 'updatedAt' | 'id' | 'title';
const ORDER_COLUMNS: Record<DocumentOrder, string> = {
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  id: 'id',
  title: 'title',
};

/** A document as the status views show it. */
export interface DocumentStatusRow {
  id: string;
  title: string;
  sizeBytes: number;
  status: ListedStatus;
  chunkCount: number;
  error: string | null;
  metadata: Record<string, unknown>;
  trackId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const ROW_COLUMNS = `id, title, size_bytes::float8 AS "sizeBytes", status, chunk_count AS "chunkCount", error, metadata,
  track_id AS "trackId", created_at AS "createdAt", updated_at AS "updatedAt"`;

export interface DocumentPageRequest {
  status?: ListedStatus;
  orderBy: DocumentOrder;
  direction: 'ASC' | 'DESC';
  offset: number;
  limit: number;
}

/** Counts per listed status with their total as `all`. */
export const countsWithAll = (
  counts: Record<ListedStatus, number>,
): Record<ListedStatus | 'all', number> => ({
  ...counts,
  all: Object.values(counts).reduce((sum, n) => sum + n, 0),
});

/** How many characters of a document's text its opening holds. */
export const OPENING_CHARS = 100;

/**
 * Reads of a KB's documents by status, for the views that pages are numbered in and that are
 * polled while documents are processed (the LightRAG-compatible document routes): counts per
 * status, numbered pages in a chosen order, the documents of one track id, and each document's
 * opening words. Documents being deleted, and those the scope hides, are left out of every one.
 */
@Injectable()
export class DocumentStatusReads {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Documents per listed status (every status present, 0 when none). */
  async counts(scope: KbScope): Promise<Record<ListedStatus, number>> {
    const params: unknown[] = [scope.tenantId, scope.kbId];
    const rows = (await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM documents
       WHERE tenant_id = $1 AND kb_id = $2 AND status <> 'deleting' ${withoutHiddenDocuments(scope, params, 'id')}
       GROUP BY status`,
      params,
    )) as Array<{ status: ListedStatus; n: number }>;
    const counts = Object.fromEntries(LISTED_STATUSES.map((s) => [s, 0])) as Record<ListedStatus, number>;
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  /** One numbered page, and how many documents match in all; ties are broken by id. */
  async page(
    scope: KbScope,
    request: DocumentPageRequest,
  ): Promise<{ documents: DocumentStatusRow[]; total: number }> {
    const params: unknown[] = [scope.tenantId, scope.kbId, ...(request.status ? [request.status] : [])];
    const where =
      `tenant_id = $1 AND kb_id = $2 AND ${request.status ? 'status = $3' : "status <> 'deleting'"}` +
      withoutHiddenDocuments(scope, params, 'id');
    const direction = request.direction === 'ASC' ? 'ASC' : 'DESC';
    const [documents, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT ${ROW_COLUMNS} FROM documents WHERE ${where}
         ORDER BY ${ORDER_COLUMNS[request.orderBy]} ${direction}, id ${direction}
         LIMIT ${Math.trunc(request.limit)} OFFSET ${Math.trunc(request.offset)}`,
        params,
      ) as Promise<DocumentStatusRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM documents WHERE ${where}`, params) as Promise<
        Array<{ total: number }>
      >,
    ]);
    return { documents, total };
  }

  /** The documents of a track id, oldest first, at most `limit`. */
  async ofTrack(scope: KbScope, trackId: string, limit: number): Promise<DocumentStatusRow[]> {
    const params: unknown[] = [scope.tenantId, scope.kbId, trackId];
    return (await this.dataSource.query(
      `SELECT ${ROW_COLUMNS} FROM documents
       WHERE tenant_id = $1 AND kb_id = $2 AND track_id = $3 AND status <> 'deleting'
         ${withoutHiddenDocuments(scope, params, 'id')}
       ORDER BY created_at, id LIMIT ${Math.trunc(limit)}`,
      params,
    )) as DocumentStatusRow[];
  }

  /** The first OPENING_CHARS characters of each given document's text, for those already chunked. */
  async openings(scope: KbScope, documentIds: readonly string[]): Promise<Map<string, string>> {
    if (documentIds.length === 0) return new Map();
    const params: unknown[] = [scope.tenantId, scope.kbId, [...documentIds]];
    const rows = (await this.dataSource.query(
      `SELECT document_id, left(content, ${OPENING_CHARS}) AS opening FROM chunks
       WHERE tenant_id = $1 AND kb_id = $2 AND document_id = ANY($3::uuid[]) AND ordinal = 0
         ${withoutHiddenDocuments(scope, params, 'document_id')}`,
      params,
    )) as Array<{ document_id: string; opening: string }>;
    return new Map(rows.map((row) => [row.document_id, row.opening]));
  }

  /**
   * Whether the KB has work in flight: documents waiting or being processed, or graph stages
   * waiting or being built; with when the oldest of those last changed.
   */
  async inFlight(scope: KbScope): Promise<{ documents: number; graphs: number; since: Date | null }> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE status IN ('pending', 'processing'))::int AS documents,
              count(*) FILTER (WHERE status = 'processed' AND graph_status IN ('pending', 'building'))::int AS graphs,
              min(updated_at) FILTER (WHERE status IN ('pending', 'processing')
                OR (status = 'processed' AND graph_status IN ('pending', 'building'))) AS since
       FROM documents WHERE tenant_id = $1 AND kb_id = $2`,
      [scope.tenantId, scope.kbId],
    )) as Array<{ documents: number; graphs: number; since: Date | null }>;
    return row;
  }
}
