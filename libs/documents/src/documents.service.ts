import { adjustKbDocumentCount, assertKbWritable, forgetKbEmbeddingDimension } from '@strata/knowledge-bases';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Not, Repository } from 'typeorm';
import { AuditService } from '@strata/audit';
import { Conflict, ErrorCode, Forbidden, newId, NotFound, Page, toPage, encodeCursor } from '@strata/core';
import { BlobStore, deleteDocumentsJob, JobQueue, TenantScopedRepository } from '@strata/storage';
import { hiddenDocumentsOf, KbScope, TenantContext } from '@strata/tenancy';
import { accessColumns, accessOf, type DocumentAccess } from './access/access-list';
import { UsageService } from '@strata/tenants';
import {
  AcceptedDocument,
  ChunkResponse,
  DeletingDocumentResponse,
  DocumentResponse,
} from './dto/document.dto';
import { DocumentDeletions } from './deletion/document-deletions.repository';
import { ChunkRecord } from './entities/chunk.entity';
import { DocumentRecord } from './entities/document.entity';
import { DocumentRequeueRepository } from './lifecycle/document-requeue.repository';
import { type DocumentSelection, type DocumentSort, pageDocumentIds } from './list/document-list.repository';
import { NewDocument, sourceHashOf } from './new-document';
import { lockTenantUploads, tenantDocumentHoldings } from './tenant-documents.repository';

/** An upload before it is committed: its id and the hash it is deduplicated by. */
interface PlannedDocument {
  input: NewDocument;
  id: string;
  sourceHash: string;
}

/** The error a cancelled document keeps. */
export const CANCELLED = 'Cancelled before it was processed';

export const documentNotFound = () => new NotFound(ErrorCode.DOCUMENT_NOT_FOUND, 'Document not found');

/**
 * The documents of a KB: accepting uploads (dedupe, quotas, blob, row, job), reading them and
 * their chunks, and asking for reindexing and deletion. Processing itself is the ingestion jobs'.
 */
@Injectable()
export class DocumentsService {
  private readonly documents: TenantScopedRepository<DocumentRecord>;

  constructor(
    @InjectRepository(DocumentRecord) documents: Repository<DocumentRecord>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly blobs: BlobStore,
    private readonly queue: JobQueue,
    private readonly audit: AuditService,
    private readonly usage: UsageService,
    private readonly requeue: DocumentRequeueRepository,
  ) {
    this.documents = new TenantScopedRepository(documents);
  }

  /**
   * Adds documents to the context's KB. Content already in the KB (same bytes, or same normalised
   * text) returns the existing document with `duplicate: true`. Quotas are checked for the whole
   * request before anything is written: either every new document is accepted or none. With
   * `enqueue: false` the caller processes the new documents itself (an importer claims them).
   */
  async add(
    context: TenantContext,
    inputs: NewDocument[],
    options: { enqueue?: boolean } = {},
  ): Promise<AcceptedDocument[]> {
    const scope = context.kbScope();
    await assertKbWritable(this.dataSource, scope);
    const planned: PlannedDocument[] = inputs.map((input) => ({
      input,
      id: input.id ?? newId(),
      sourceHash: sourceHashOf(input.content),
    }));

    // Blobs first: a failed transaction leaves files we remove; a crash leaves files no row names.
    const fresh = await this.withoutKnownDuplicates(scope, planned);
    await Promise.all(fresh.map((p) => this.blobs.put(scope, p.id, p.input.content)));
    try {
      const { results, created } = await this.dataSource.transaction((manager) =>
        this.commit(manager, context, scope, planned),
      );
      await this.afterCommit(scope, planned, fresh, created, options.enqueue !== false);
      return results;
    } catch (error) {
      await this.removeUnusedBlobs(
        scope,
        fresh.map((p) => p.id),
        new Set(),
      );
      throw error;
    }
  }

  /**
   * Inserts the planned documents that are not duplicates (of earlier uploads or of each other),
   * within the tenant's quotas, with their audit events and usage; in the caller's transaction.
   */
  private async commit(
    manager: EntityManager,
    context: TenantContext,
    scope: KbScope,
    planned: PlannedDocument[],
  ): Promise<{ results: AcceptedDocument[]; created: DocumentRecord[] }> {
    // One writer per tenant at a time, so quota checks and dedupe see every earlier upload.
    await lockTenantUploads(manager, scope.tenantId);
    const results: AcceptedDocument[] = [];
    const created: DocumentRecord[] = [];
    const seen = new Map<string, AcceptedDocument>();
    for (const p of planned) {
      const key = p.input.contentHash ?? p.sourceHash;
      const existing =
        seen.get(key) ?? (await this.findDuplicate(manager, scope, p.sourceHash, p.input.contentHash));
      if (existing) {
        results.push({ ...existing, duplicate: true });
        continue;
      }
      const record = this.newRecord(scope, p.id, p.sourceHash, p.input);
      created.push(record);
      const accepted = { id: record.id, title: record.title, status: record.status, duplicate: false };
      seen.set(key, accepted);
      results.push(accepted);
    }
    await this.assertQuotas(manager, context, created);
    if (created.length > 0) {
      // TypeORM's deep-partial insert type cannot express a free-form JSON column, hence the cast.
      await manager.getRepository(DocumentRecord).insert(created as never);
      await adjustKbDocumentCount(manager, scope, created.length);
      for (const record of created) {
        await this.recordChange(manager, 'document.create', record.id, {
          title: record.title,
          mime_type: record.mimeType,
          size_bytes: record.sizeBytes,
        });
      }
      const bytes = created.reduce((sum, r) => sum + r.sizeBytes, 0);
      await this.usage.add(scope, { documents: created.length, bytes_ingested: bytes }, manager);
    }
    return { results, created };
  }

  /** After the commit: blobs no row names go, blobs a row names but lacks are written, jobs queued. */
  private async afterCommit(
    scope: KbScope,
    planned: PlannedDocument[],
    fresh: PlannedDocument[],
    created: DocumentRecord[],
    enqueue: boolean,
  ): Promise<void> {
    await this.removeUnusedBlobs(
      scope,
      fresh.map((p) => p.id),
      new Set(created.map((r) => r.id)),
    );
    // A duplicate deleted between the first look and the transaction: its blob is written now.
    const written = new Set(fresh.map((p) => p.id));
    for (const record of created.filter((r) => !written.has(r.id))) {
      await this.blobs.put(scope, record.id, planned.find((p) => p.id === record.id)!.input.content);
    }
    for (const record of enqueue ? created : []) {
      await this.queue.enqueue({
        type: 'ingest',
        tenantId: scope.tenantId,
        kbId: scope.kbId,
        targetId: record.id,
      });
    }
  }

  /** A page of the KB's documents the selection takes, in the order asked (oldest first by default). */
  async list(
    context: TenantContext,
    selection: DocumentSelection,
    order: { sort: DocumentSort; direction: 'asc' | 'desc' },
    afterId: string | null,
    limit: number,
  ): Promise<Page<DocumentResponse>> {
    const scope = context.kbScope();
    const ids = await pageDocumentIds(this.dataSource, scope, selection, order, afterId, limit + 1);
    const rows = await this.documents.find(scope, { where: { kbId: scope.kbId, id: In(ids) } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return toPage(
      ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
      limit,
      DocumentResponse.from,
    );
  }

  async get(context: TenantContext, documentId: string): Promise<DocumentResponse> {
    return DocumentResponse.from(await this.load(context.kbScope(), documentId));
  }

  /** A document's original as it was uploaded (a text: its normalised markdown), with its name and type. */
  async original(
    context: TenantContext,
    documentId: string,
  ): Promise<{ content: Buffer; name: string; mimeType: string }> {
    const scope = context.kbScope();
    const doc = await this.load(scope, documentId);
    // A document being deleted is going: its original may already be.
    if (doc.status === 'deleting' || !(await this.blobs.exists(scope, doc.id))) throw documentNotFound();
    // A text added as JSON has a title, not a file name: it downloads as the markdown it is stored as.
    const name = doc.sourceName ?? (doc.mimeType === 'text/markdown' ? `${doc.title}.md` : doc.title);
    return { content: await this.blobs.get(scope, doc.id), name, mimeType: doc.mimeType };
  }

  /** A document's chunks in reading order; the cursor is the last chunk's id. */
  async chunks(
    context: TenantContext,
    documentId: string,
    afterChunkId: string | null,
    limit: number,
  ): Promise<Page<ChunkResponse>> {
    const scope = context.kbScope();
    await this.load(scope, documentId);
    const query = this.dataSource
      .getRepository(ChunkRecord)
      .createQueryBuilder('c')
      .where('c.tenant_id = :tenantId AND c.kb_id = :kbId AND c.document_id = :documentId', {
        tenantId: scope.tenantId,
        kbId: scope.kbId,
        documentId,
      })
      .orderBy('c.ordinal', 'ASC')
      .limit(limit + 1);
    if (afterChunkId !== null) {
      query.andWhere(
        'c.ordinal > (SELECT p.ordinal FROM chunks p WHERE p.id = :after AND p.tenant_id = :tenantId AND p.kb_id = :kbId)',
        { after: afterChunkId },
      );
    }
    const rows = await query.getMany();
    const hasMore = rows.length > limit;
    const page = rows.slice(0, limit);
    return {
      items: page.map(ChunkResponse.from),
      next_cursor: hasMore ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  /**
   * Marks the document for deletion, records the receipt (one already going gets a receipt too)
   * and queues the job that removes it from every store.
   */
  async delete(context: TenantContext, documentId: string): Promise<DeletingDocumentResponse> {
    const scope = context.kbScope();
    const { record, deletionId } = await this.dataSource.transaction(async (manager) => {
      const doc = await this.lockForChange(manager, scope, documentId);
      const deletionId = await DocumentDeletions.record(manager, scope, [doc.id], context.principal);
      if (doc.status !== 'deleting') {
        doc.status = 'deleting';
        doc.leaseExpiresAt = null;
        await manager.getRepository(DocumentRecord).save(doc);
        await adjustKbDocumentCount(manager, scope, -1);
        await this.recordChange(manager, 'document.delete', doc.id, {
          title: doc.title,
          deletion_id: deletionId,
        });
      }
      return { record: doc, deletionId };
    });
    await this.queue.enqueue(deleteDocumentsJob(scope));
    return { ...DocumentResponse.from(record), deletion_id: deletionId };
  }

  /**
   * Changes a document's title, metadata or access list (`access` undefined: unchanged; null: the
   * whole KB), without processing it again: queries, lists and the graph read them as they are.
   */
  async update(
    context: TenantContext,
    documentId: string,
    change: { title?: string; metadata?: Record<string, unknown>; access?: DocumentAccess | null },
  ): Promise<DocumentResponse> {
    const scope = context.kbScope();
    const record = await this.dataSource.transaction(async (manager) => {
      const doc = await this.lockForChange(manager, scope, documentId);
      if (doc.status === 'deleting') {
        throw new Conflict(ErrorCode.DOCUMENT_BEING_DELETED, 'This document is being deleted');
      }
      const details: Record<string, unknown> = {};
      if (change.title !== undefined && change.title !== doc.title) {
        details.title = { from: doc.title, to: change.title };
        doc.title = change.title;
      }
      if (change.metadata !== undefined) {
        details.metadata = true;
        doc.metadata = change.metadata;
      }
      if (change.access !== undefined) {
        details.access = { from: accessOf(doc), to: change.access };
        Object.assign(doc, accessColumns(change.access));
      }
      if (Object.keys(details).length > 0) {
        await manager.getRepository(DocumentRecord).save(doc);
        await this.recordChange(manager, 'document.update', doc.id, details);
      }
      return doc;
    });
    return DocumentResponse.from(record);
  }

  /**
   * Stops a document that is waiting or being processed: it ends `failed` (error "Cancelled"),
   * keeping its original, so it can be processed again or deleted. A job already working on it
   * finds its claim gone at its next step and writes nothing more.
   */
  async cancel(context: TenantContext, documentId: string): Promise<DocumentResponse> {
    const scope = context.kbScope();
    const record = await this.dataSource.transaction(async (manager) => {
      const doc = await this.lockForChange(manager, scope, documentId);
      if (doc.status !== 'pending' && doc.status !== 'processing') {
        throw new Conflict(
          ErrorCode.DOCUMENT_NOT_CANCELLABLE,
          `Only a pending or processing document can be cancelled; this one is ${doc.status}`,
        );
      }
      const from = doc.status;
      Object.assign(doc, { status: 'failed', error: CANCELLED, leaseExpiresAt: null });
      await manager.getRepository(DocumentRecord).save(doc);
      await this.recordChange(manager, 'document.cancel', doc.id, { title: doc.title, from });
      return doc;
    });
    return DocumentResponse.from(record);
  }

  /** Processes the document again from its stored original. */
  async reindex(context: TenantContext, documentId: string): Promise<DocumentResponse> {
    const scope = context.kbScope();
    await assertKbWritable(this.dataSource, scope);
    const record = await this.dataSource.transaction(async (manager) => {
      const doc = await this.lockForChange(manager, scope, documentId);
      if (doc.status === 'deleting') {
        throw new Conflict(ErrorCode.DOCUMENT_BEING_DELETED, 'This document is being deleted');
      }
      Object.assign(doc, {
        status: 'pending',
        progress: 0,
        error: null,
        leaseExpiresAt: null,
        graphStatus: 'pending',
        graphError: null,
      });
      await manager.getRepository(DocumentRecord).save(doc);
      await this.recordChange(manager, 'document.reindex', doc.id, {});
      return doc;
    });
    await this.queue.enqueue({
      type: 'ingest',
      tenantId: scope.tenantId,
      kbId: scope.kbId,
      targetId: documentId,
    });
    return DocumentResponse.from(record);
  }

  /**
   * Processes every document of the KB again. The KB forgets its vectors' dimension (not its
   * model), so the vectors are rebuilt by whatever its embedding model now answers.
   */
  async reindexKnowledgeBase(context: TenantContext): Promise<number> {
    const scope = context.kbScope();
    await assertKbWritable(this.dataSource, scope);
    const jobs = await this.dataSource.transaction(async (manager) => {
      const pending = await this.requeue.requeueAll(manager, scope);
      await forgetKbEmbeddingDimension(manager, scope);
      await this.audit.record(
        {
          action: 'knowledge_base.reindex',
          outcome: 'success',
          resourceType: 'knowledge_base',
          resourceId: scope.kbId,
          details: { documents: pending.length },
        },
        manager,
      );
      return pending;
    });
    for (const job of jobs) await this.queue.enqueue(job);
    return jobs.length;
  }

  /** A document of the KB the scope does not hide; 404 otherwise, as if it did not exist. */
  private async load(scope: KbScope, documentId: string): Promise<DocumentRecord> {
    const doc = await this.documents.findOne(scope, { kbId: scope.kbId, id: documentId });
    if (doc === null || hiddenDocumentsOf(scope).includes(doc.id)) throw documentNotFound();
    return doc;
  }

  private async lockForChange(
    manager: EntityManager,
    scope: KbScope,
    documentId: string,
  ): Promise<DocumentRecord> {
    const doc = await manager.getRepository(DocumentRecord).findOne({
      where: { tenantId: scope.tenantId, kbId: scope.kbId, id: documentId },
      lock: { mode: 'pessimistic_write' },
    });
    if (doc === null || hiddenDocumentsOf(scope).includes(doc.id)) throw documentNotFound();
    return doc;
  }

  /** Drops inputs whose bytes are already in the KB, so their blobs are not written at all. */
  private async withoutKnownDuplicates<T extends { sourceHash: string; input: NewDocument }>(
    scope: KbScope,
    planned: T[],
  ): Promise<T[]> {
    const known = await this.documents.find(scope, {
      where: { kbId: scope.kbId, sourceHash: In(planned.map((p) => p.sourceHash)), status: Not('deleting') },
    });
    const hashes = new Set(known.map((d) => d.sourceHash));
    return planned.filter((p) => !hashes.has(p.sourceHash));
  }

  private async findDuplicate(
    manager: EntityManager,
    scope: KbScope,
    sourceHash: string,
    contentHash: string | null,
  ): Promise<AcceptedDocument | null> {
    const repository = manager.getRepository(DocumentRecord);
    const base = { tenantId: scope.tenantId, kbId: scope.kbId, status: Not('deleting' as const) };
    const match =
      (await repository.findOne({ where: { ...base, sourceHash } })) ??
      (contentHash ? await repository.findOne({ where: { ...base, contentHash } }) : null);
    // The same content in a document the caller may not see: naming it would show its id and title.
    if (match && hiddenDocumentsOf(scope).includes(match.id)) {
      throw new Conflict(
        ErrorCode.DUPLICATE_OF_HIDDEN_DOCUMENT,
        'This content is already in the knowledge base, in a document you may not see',
      );
    }
    return match ? { id: match.id, title: match.title, status: match.status, duplicate: true } : null;
  }

  private newRecord(scope: KbScope, id: string, sourceHash: string, input: NewDocument): DocumentRecord {
    return Object.assign(new DocumentRecord(), {
      id,
      tenantId: scope.tenantId,
      kbId: scope.kbId,
      title: input.title,
      sourceName: input.sourceName,
      mimeType: input.mimeType,
      sizeBytes: input.content.length,
      sourceHash,
      contentHash: input.contentHash,
      blobKey: this.blobs.keyOf(scope, id),
      status: 'pending',
      progress: 0,
      error: null,
      chunkCount: 0,
      tokenCount: 0,
      metadata: input.metadata,
      ...accessColumns(input.access ?? null),
      trackId: input.trackId ?? null,
      attempts: 0,
      graphStatus: 'pending',
      graphError: null,
      graphAttempts: 0,
      leaseExpiresAt: null,
      processedAt: null,
    } satisfies Omit<DocumentRecord, 'createdAt' | 'updatedAt'>);
  }

  private async assertQuotas(
    manager: EntityManager,
    context: TenantContext,
    created: DocumentRecord[],
  ): Promise<void> {
    if (created.length === 0) return;
    const { max_documents: maxDocuments, max_storage_bytes: maxBytes } = context.quotas;
    const usage = await tenantDocumentHoldings(manager, context.tenantId);
    if (usage.documents + created.length > maxDocuments) {
      throw new Forbidden(
        ErrorCode.QUOTA_DOCUMENTS_EXCEEDED,
        `The tenant's quota of ${maxDocuments} documents would be exceeded (it has ${usage.documents})`,
      );
    }
    const adding = created.reduce((sum, r) => sum + r.sizeBytes, 0);
    if (usage.bytes + adding > maxBytes) {
      throw new Forbidden(
        ErrorCode.QUOTA_STORAGE_BYTES_EXCEEDED,
        `The tenant's storage quota of ${maxBytes} bytes would be exceeded (${usage.bytes} used, ${adding} more)`,
      );
    }
  }

  private async removeUnusedBlobs(scope: KbScope, written: string[], kept: Set<string>): Promise<void> {
    await Promise.all(written.filter((id) => !kept.has(id)).map((id) => this.blobs.delete(scope, id)));
  }

  private recordChange(
    manager: EntityManager,
    action: string,
    documentId: string,
    details: Record<string, unknown>,
  ) {
    return this.audit.record(
      { action, outcome: 'success', resourceType: 'document', resourceId: documentId, details },
      manager,
    );
  }
}
