import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BlobStore, finishPurge, GraphStore, startPurge, VectorStore } from '@strata/storage';
import { TenantContext } from '@strata/tenancy';

/**
 * Purges what a deleted KB or tenant left outside its relational rows (vectors, graph, blobs);
 * its rows went with the cascade of the delete. The purge row is removed last, so an interrupted purge runs again.
 */
@Injectable()
export class PurgeJob {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly blobs: BlobStore,
    private readonly vectors: VectorStore,
    private readonly graph: GraphStore,
  ) {}

  async run(purgeId: string): Promise<void> {
    const target = await startPurge(this.dataSource, purgeId);
    if (target === null) return;
    const context = TenantContext.forJob({
      tenantId: target.tenantId,
      kbId: target.kbId,
      jobName: 'purge',
      jobId: purgeId,
    });
    if (target.kbId) {
      await this.vectors.deleteKnowledgeBase(context.kbScope());
      await this.graph.deleteKnowledgeBase(context.kbScope());
      await this.blobs.deleteKnowledgeBase(context.kbScope());
    } else {
      await this.vectors.deleteTenant(context.scope());
      await this.graph.deleteTenant(context.scope());
      await this.blobs.deleteTenant(context.scope());
    }
    await finishPurge(this.dataSource, purgeId);
  }
}
