import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BlobStore, GraphStore, VectorStore } from '@strata/storage';
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
    const [row] = await this.dataSource.query('SELECT tenant_id, kb_id FROM purge_jobs WHERE id = $1', [
      purgeId,
    ]);
    if (!row) return;
    await this.dataSource.query('UPDATE purge_jobs SET attempts = attempts + 1 WHERE id = $1', [purgeId]);
    const context = TenantContext.forJob({
      tenantId: row.tenant_id,
      kbId: row.kb_id,
      jobName: 'purge',
      jobId: purgeId,
    });
    if (row.kb_id) {
      await this.vectors.deleteKnowledgeBase(context.kbScope());
      await this.graph.deleteKnowledgeBase(context.kbScope());
      await this.blobs.deleteKnowledgeBase(context.kbScope());
    } else {
      await this.vectors.deleteTenant(context.scope());
      await this.graph.deleteTenant(context.scope());
      await this.blobs.deleteTenant(context.scope());
    }
    await this.dataSource.query('DELETE FROM purge_jobs WHERE id = $1', [purgeId]);
  }
}
