import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GraphBuilder } from '@strata/graph';
import { BlobStore, unindexDocumentTerms, VectorStore } from '@strata/storage';
import { TenantContext } from '@strata/tenancy';

/**
 * Removes a document marked `deleting` from every store: its graph contribution (entities and
 * relations it alone supported go), vectors, blob, then chunks (and their full-text postings) and the
 * row itself. Each step is idempotent; a crash repeats the job.
 */
@Injectable()
export class DeleteDocumentJob {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly blobs: BlobStore,
    private readonly vectors: VectorStore,
    private readonly graphs: GraphBuilder,
  ) {}

  async run(tenantId: string, kbId: string, documentId: string): Promise<void> {
    const scope = TenantContext.forJob({ tenantId, kbId, jobName: 'deletion', jobId: documentId }).kbScope();
    const [row] = await this.dataSource.query(
      'SELECT status FROM documents WHERE tenant_id = $1 AND kb_id = $2 AND id = $3',
      [tenantId, kbId, documentId],
    );
    if (!row || row.status !== 'deleting') return;
    await this.graphs.removeDocument(scope, documentId);
    await this.vectors.deleteDocument(scope, documentId);
    await this.blobs.delete(scope, documentId);
    await this.dataSource.transaction(async (manager) => {
      await unindexDocumentTerms(manager, scope, documentId);
      await manager.query('DELETE FROM chunks WHERE tenant_id = $1 AND kb_id = $2 AND document_id = $3', [
        tenantId,
        kbId,
        documentId,
      ]);
      await manager.query(
        `DELETE FROM documents WHERE tenant_id = $1 AND kb_id = $2 AND id = $3 AND status = 'deleting'`,
        [tenantId, kbId, documentId],
      );
    });
  }
}
