import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DocumentRemovalRepository } from '@strata/documents';
import { GraphBuilder } from '@strata/graph';
import { BlobStore, packTermsWhenDue, VectorStore } from '@strata/storage';
import { TenantContext } from '@strata/tenancy';

/**
 * Removes a document marked `deleting` from every store: its graph contribution (entities and
 * relations it alone supported go), vectors, blob, then chunks (and their full-text postings) and the
 * row itself, and then the KB's full-text postings are packed if due (which drops the document's
 * from the packs). Each step is idempotent; a crash repeats the job.
 */
@Injectable()
export class DeleteDocumentJob {
  private readonly documents: DocumentRemovalRepository;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly blobs: BlobStore,
    private readonly vectors: VectorStore,
    private readonly graphs: GraphBuilder,
  ) {
    this.documents = new DocumentRemovalRepository(dataSource);
  }

  async run(tenantId: string, kbId: string, documentId: string): Promise<void> {
    const scope = TenantContext.forJob({ tenantId, kbId, jobName: 'deletion', jobId: documentId }).kbScope();
    if (!(await this.documents.isDeleting(scope, documentId))) return;
    await this.graphs.removeDocument(scope, documentId);
    await this.vectors.deleteDocument(scope, documentId);
    await this.blobs.delete(scope, documentId);
    await this.documents.removeRows(scope, documentId);
    // A packed document's postings stay in their packs (searches leave them out) until packed again.
    await packTermsWhenDue(this.dataSource, scope);
  }
}
