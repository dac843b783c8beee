import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ErrorCode, NotFound, slices } from '@strata/core';
import { DocumentDeletions, type DocumentDeletion } from '@strata/documents';
import { GraphMentions } from '@strata/graph';
import { BlobStore, VectorStore } from '@strata/storage';
import type { KbScope, TenantContext } from '@strata/tenancy';
import type { DeletionReceiptResponse, DeletionRemainsResponse } from './deletion-receipt.dto';

/** Documents a store is asked about at once: bounded statements and vector-store filters. */
const COUNT_SLICE = 1_000;

const deletionNotFound = () => new NotFound(ErrorCode.DELETION_NOT_FOUND, 'Deletion not found');

/**
 * A delete request's receipt with what every store still holds of its documents, counted at each
 * call: rows and chunks (documents), mentions (graph), vectors and blobs (storage). The one who
 * asked reads it, and tenant admins; anyone else gets 404, as for a receipt that does not exist.
 */
@Injectable()
export class DeletionReceipts {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly vectors: VectorStore,
    private readonly blobs: BlobStore,
  ) {}

  async read(context: TenantContext, id: string): Promise<DeletionReceiptResponse> {
    const scope = context.kbScope();
    const deletion = await DocumentDeletions.find(this.dataSource, scope, id);
    if (deletion === null || !this.mayRead(context, deletion)) throw deletionNotFound();
    const remains = await this.remains(scope, deletion.documentIds);
    const gone = Object.values(remains).every((n) => n === 0);
    return {
      id: deletion.id,
      knowledge_base_id: scope.kbId,
      status: gone ? 'complete' : 'deleting',
      document_ids: deletion.documentIds,
      requested_by: deletion.requestedBy,
      requested_at: deletion.createdAt.toISOString(),
      completed_at: deletion.completedAt?.toISOString() ?? null,
      remains,
    };
  }

  private mayRead(context: TenantContext, deletion: DocumentDeletion): boolean {
    if (context.seesEveryDocument) return true;
    const { principal } = context;
    return principal.type === deletion.requestedBy.type && principal.id === deletion.requestedBy.id;
  }

  private async remains(scope: KbScope, documentIds: readonly string[]): Promise<DeletionRemainsResponse> {
    const total: DeletionRemainsResponse = {
      documents: 0,
      chunks: 0,
      vectors: 0,
      graph_mentions: 0,
      blobs: 0,
    };
    for (const slice of slices(documentIds, COUNT_SLICE)) {
      const rows = await DocumentDeletions.remainingRows(this.dataSource, scope, slice);
      total.documents += rows.documents;
      total.chunks += rows.chunks;
      total.vectors += await this.vectors.count(scope, { documentIds: slice });
      total.graph_mentions += await GraphMentions.countOfDocuments(this.dataSource, scope, slice);
      for (const id of slice) if (await this.blobs.exists(scope, id)) total.blobs++;
    }
    return total;
  }
}
