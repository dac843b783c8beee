import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DocumentRemovalRepository } from '@strata/documents';
import { GraphBuilder } from '@strata/graph';
import { BlobStore, packTermsWhenDue, VectorStore } from '@strata/storage';
import { TenantContext } from '@strata/tenancy';

/**
 * Documents removed together: the graph merges what a batch touched once, however many documents
 * it holds (one at a time, a 1,000-document delete merged the shared entities 1,000 times).
 */
export const DELETION_BATCH = 200;

/**
 * Removes a KB's documents marked `deleting` from every store, a batch at a time: their graph
 * contribution (entities and relations they alone supported go), vectors, blobs, then each one's
 * chunks (and their full-text postings) and row (completing the receipts it was the last of), and
 * the KB's postings are packed if due (which drops the documents' from the
 * packs). Each step is idempotent and the database says what is left: a crash repeats the job,
 * and two runs for one KB at once do the same work twice, harmlessly.
 */
@Injectable()
export class DeleteDocumentsJob {
  private readonly documents: DocumentRemovalRepository;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly blobs: BlobStore,
    private readonly vectors: VectorStore,
    private readonly graphs: GraphBuilder,
  ) {
    this.documents = new DocumentRemovalRepository(dataSource);
  }

  async run(tenantId: string, kbId: string): Promise<void> {
    const scope = TenantContext.forJob({ tenantId, kbId, jobName: 'deletion', jobId: kbId }).kbScope();
    let removed = 0;
    for (;;) {
      const batch = await this.documents.deletingIds(scope, DELETION_BATCH);
      if (batch.length === 0) break;
      await this.graphs.removeDocuments(scope, batch);
      await this.vectors.deleteDocuments(scope, batch);
      for (const id of batch) await this.blobs.delete(scope, id);
      for (const id of batch) await this.documents.removeRows(scope, id);
      removed += batch.length;
    }
    // A packed document's postings stay in their packs (searches leave them out) until packed again.
    if (removed > 0) await packTermsWhenDue(this.dataSource, scope);
  }
}
