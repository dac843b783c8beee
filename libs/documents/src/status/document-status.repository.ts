import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, Not } from 'typeorm';
import type { KbScope } from '@strata/tenancy';
import { DOCUMENT_STATUSES, DocumentRecord, type DocumentStatus } from '../entities/document.entity';

/** The statuses a KB's documents are listed and counted in: one being deleted is already gone. */
export const LISTED_STATUSES = DOCUMENT_STATUSES.filter((s) => s !== 'deleting');
export type ListedStatus = Exclude<DocumentStatus, 'deleting'>;

/** What a page of documents can be ordered by. */
export type DocumentOrder = 'createdAt' | 'updatedAt' | 'id' | 'title';

export interface DocumentPageRequest {
  status?: ListedStatus;
  orderBy: DocumentOrder;
  direction: 'ASC' | 'DESC';
  offset: number;
  limit: number;
}

/** How many characters of a document's text its opening holds. */
export const OPENING_CHARS = 100;

/**
 * Reads of a KB's documents by status, for the views that pages are numbered in and that are
 * polled while documents are processed (the LightRAG-compatible document routes): counts per
 * status, numbered pages in a chosen order, the documents of one track id, and each document's
 * opening words. Documents being deleted are left out of every one.
 */
@Injectable()
export class DocumentStatusReads {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Documents per listed status (every status present, 0 when none). */
  async counts(scope: KbScope): Promise<Record<ListedStatus, number>> {
    const rows = (await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM documents
       WHERE tenant_id = $1 AND kb_id = $2 AND status <> 'deleting' GROUP BY status`,
      [scope.tenantId, scope.kbId],
    )) as Array<{ status: ListedStatus; n: number }>;
    const counts = Object.fromEntries(LISTED_STATUSES.map((s) => [s, 0])) as Record<ListedStatus, number>;
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  /** One numbered page, and how many documents match in all; ties are broken by id. */
  async page(
    scope: KbScope,
    request: DocumentPageRequest,
  ): Promise<{ documents: DocumentRecord[]; total: number }> {
    const [documents, total] = await this.dataSource.getRepository(DocumentRecord).findAndCount({
      where: {
        tenantId: scope.tenantId,
        kbId: scope.kbId,
        status: request.status ?? Not('deleting'),
      },
      order: { [request.orderBy]: request.direction, id: request.direction },
      skip: request.offset,
      take: request.limit,
    });
    return { documents, total };
  }

  /** The documents of a track id, oldest first, at most `limit`. */
  async ofTrack(scope: KbScope, trackId: string, limit: number): Promise<DocumentRecord[]> {
    return this.dataSource.getRepository(DocumentRecord).find({
      where: {
        tenantId: scope.tenantId,
        kbId: scope.kbId,
        trackId,
        status: In(LISTED_STATUSES),
      },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: limit,
    });
  }

  /** The first OPENING_CHARS characters of each given document's text, for those already chunked. */
  async openings(scope: KbScope, documentIds: readonly string[]): Promise<Map<string, string>> {
    if (documentIds.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT document_id, left(content, ${OPENING_CHARS}) AS opening FROM chunks
       WHERE tenant_id = $1 AND kb_id = $2 AND document_id = ANY($3::uuid[]) AND ordinal = 0`,
      [scope.tenantId, scope.kbId, [...documentIds]],
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
