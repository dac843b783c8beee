import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '@strata/audit';
import { adjustKbDocumentCount, assertKbWritable } from '@strata/knowledge-bases';
import { isUuid } from '@strata/core';
import { deleteDocumentsJob, JobQueue } from '@strata/storage';
import type { KbScope, TenantContext } from '@strata/tenancy';
import { DocumentDeletions } from '../deletion/document-deletions.repository';
import { documentNotFound } from '../documents.service';
import { existingDocumentIds } from '../document-lookups.repository';
import { DocumentRequeueRepository } from '../lifecycle/document-requeue.repository';
import { markDocumentsDeleting } from '../lifecycle/document-removal.repository';
import { type DocumentSelection, selectedDocumentIds } from '../list/document-list.repository';

/** A delete request's outcome: the documents newly marked, and its receipt (null if it took none). */
export interface BulkDeletion {
  deleting: string[];
  deletionId: string | null;
}

/**
 * Changes to many of a KB's documents at once: deleting a list of them or all of them, and
 * processing again those that failed. Each is one transaction with its audit events; the jobs it
 * needs are queued after the commit (and a crash in between loses nothing: the job runner's sweep
 * queues what the database says is unfinished).
 */
@Injectable()
export class DocumentBulkActions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly audit: AuditService,
    private readonly requeue: DocumentRequeueRepository,
  ) {}

  /**
   * Marks the given documents for deletion (one `document.delete` event each) and queues their
   * removal. Every id must name a document of the KB, or nothing is deleted (404). The receipt
   * covers every id given; `deleting` holds those newly marked (one already going is not marked
   * twice).
   */
  async delete(context: TenantContext, ids: readonly string[]): Promise<BulkDeletion> {
    return this.markAndRemove(context, async (manager, scope) => {
      const known = ids.every(isUuid) ? await existingDocumentIds(manager, scope, ids) : new Set();
      if (ids.some((id) => !known.has(id))) throw documentNotFound();
      return [...new Set(ids)];
    });
  }

  /**
   * Marks for deletion the first `limit` of the KB's documents the selection takes (those the
   * caller may see), like `delete`; `more` says whether it took more than that.
   */
  async deleteMatching(
    context: TenantContext,
    selection: DocumentSelection,
    limit: number,
  ): Promise<BulkDeletion & { more: boolean }> {
    let more = false;
    const deletion = await this.markAndRemove(context, async (manager, scope) => {
      const ids = await selectedDocumentIds(manager, scope, selection, limit + 1);
      more = ids.length > limit;
      return ids.slice(0, limit);
    });
    return { ...deletion, more };
  }

  private async markAndRemove(
    context: TenantContext,
    choose: (manager: EntityManager, scope: KbScope) => Promise<readonly string[]>,
  ): Promise<BulkDeletion> {
    const scope = context.kbScope();
    const deletion = await this.dataSource.transaction(async (manager) => {
      const ids = await choose(manager, scope);
      if (ids.length === 0) return { deleting: [], deletionId: null };
      const deletionId = await DocumentDeletions.record(manager, scope, ids, context.principal);
      const deleting = await markDocumentsDeleting(manager, scope, ids);
      await adjustKbDocumentCount(manager, scope, -deleting.length);
      await this.audit.recordMany(
        deleting.map(({ id, title }) => ({
          action: 'document.delete',
          outcome: 'success' as const,
          resourceType: 'document',
          resourceId: id,
          details: { title, deletion_id: deletionId },
        })),
        manager,
      );
      return { deleting: deleting.map((d) => d.id), deletionId };
    });
    if (deletion.deletionId !== null) await this.queue.enqueue(deleteDocumentsJob(scope));
    return deletion;
  }

  /**
   * Marks every document of the KB the caller may see for deletion (one `knowledge_base.clear`
   * event), with a receipt. Documents hidden from the caller stay: they cannot be named, so
   * they are not theirs to delete.
   */
  async clear(context: TenantContext): Promise<BulkDeletion> {
    const scope = context.kbScope();
    const deletion = await this.dataSource.transaction(async (manager) => {
      const deleting = await markDocumentsDeleting(manager, scope, 'all');
      const ids = deleting.map((d) => d.id);
      const deletionId =
        ids.length === 0 ? null : await DocumentDeletions.record(manager, scope, ids, context.principal);
      await adjustKbDocumentCount(manager, scope, -deleting.length);
      await this.audit.record(
        {
          action: 'knowledge_base.clear',
          outcome: 'success',
          resourceType: 'knowledge_base',
          resourceId: scope.kbId,
          details: { documents: deleting.length, deletion_id: deletionId },
        },
        manager,
      );
      return { deleting: ids, deletionId };
    });
    if (deletion.deletionId !== null) await this.queue.enqueue(deleteDocumentsJob(scope));
    return deletion;
  }

  /**
   * Processes again, under `trackId` (null: their own), every document whose processing or graph
   * stage failed (one `knowledge_base.reindex` event naming how many); answers how many.
   */
  async reprocessFailed(context: TenantContext, trackId: string | null): Promise<number> {
    const scope = context.kbScope();
    await assertKbWritable(this.dataSource, scope);
    const jobs = await this.dataSource.transaction(async (manager) => {
      const requeued = await this.requeue.requeueFailed(manager, scope, trackId);
      await this.audit.record(
        {
          action: 'knowledge_base.reindex',
          outcome: 'success',
          resourceType: 'knowledge_base',
          resourceId: scope.kbId,
          details: {
            documents: requeued.length,
            failed_only: true,
            ...(trackId ? { track_id: trackId } : {}),
          },
        },
        manager,
      );
      return requeued;
    });
    for (const job of jobs) await this.queue.enqueue(job);
    return jobs.length;
  }
}
