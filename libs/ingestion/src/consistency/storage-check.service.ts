import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { slices } from '@strata/core';
import { documentIdsOfKb } from '@strata/documents';
import { GraphMentions, GraphMerger, pairKey } from '@strata/graph';
import { allKnowledgeBases } from '@strata/knowledge-bases';
import { BlobStore, GraphStore, VectorStore } from '@strata/storage';
import { type KbScope, TenantContext } from '@strata/tenancy';

/**
 * A blob is an orphan only once it is this old: an upload writes its blob just before the
 * transaction that adds its row commits, and a check must not take an upload under way for one.
 */
export const BLOB_GRACE_MS = 10 * 60_000;

/** Entities and relations whose support is read at once. */
const GRAPH_SLICE = 500;

/** What one KB's stores hold that nothing in the database accounts for. */
export interface KbOrphans {
  tenantId: string;
  kbId: string;
  slug: string;
  /** Documents without a row whose chunk vectors are still stored. */
  vectorDocuments: string[];
  /** Documents without a row whose original upload is still stored. */
  blobDocuments: string[];
  /** Entities in the graph store that no document mentions and no editor made. */
  entities: string[];
  /** Relations in the graph store that no document mentions and no editor made. */
  relations: Array<[string, string]>;
}

export const orphanCount = (kb: KbOrphans): number =>
  kb.vectorDocuments.length + kb.blobDocuments.length + kb.entities.length + kb.relations.length;

/**
 * Finds, KB by KB, what the stores outside the relational tables still hold of documents that are
 * gone (chunk vectors, blobs) and graph entities and relations nothing supports any more, and on
 * request removes them. Chunks and graph mentions need no check: the database removes them with
 * their document row. Each store is listed before the documents are read, so a document added
 * meanwhile is never mistaken for a missing one; a removal is what the deletion job would have done.
 */
@Injectable()
export class StorageCheck {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly vectors: VectorStore,
    private readonly blobs: BlobStore,
    private readonly graph: GraphStore,
    private readonly merger: GraphMerger,
  ) {}

  /** Every KB with orphans, of one tenant or all (`tenantId` null). */
  async find(tenantId: string | null): Promise<KbOrphans[]> {
    const found: KbOrphans[] = [];
    for (const kb of await allKnowledgeBases(this.dataSource, tenantId)) {
      const orphans = await this.findInKb(kb);
      if (orphanCount(orphans) > 0) found.push(orphans);
    }
    return found;
  }

  /** Removes what `find` reported of one KB. */
  async remove(orphans: KbOrphans): Promise<void> {
    const scope = scopeOf(orphans);
    await this.vectors.deleteDocuments(scope, orphans.vectorDocuments);
    for (const id of orphans.blobDocuments) await this.blobs.delete(scope, id);
    await this.merger.refresh(scope, { entityKeys: orphans.entities, relationPairs: orphans.relations });
  }

  private async findInKb(kb: { tenantId: string; kbId: string; slug: string }): Promise<KbOrphans> {
    const scope = scopeOf(kb);
    const vectorDocuments = await this.vectors.documentIds(scope);
    const blobDocuments = await this.blobs.documentIds(scope, {
      writtenBefore: new Date(Date.now() - BLOB_GRACE_MS),
    });
    const graph = await this.graph.keys(scope);
    const documents = await documentIdsOfKb(this.dataSource, scope);
    const gone = (ids: Set<string>) => [...ids].filter((id) => !documents.has(id)).sort();
    return {
      ...kb,
      vectorDocuments: gone(vectorDocuments),
      blobDocuments: gone(blobDocuments),
      ...(await this.unsupported(scope, graph.entityKeys, graph.relationPairs)),
    };
  }

  /** Of the graph store's entities and relations, those the merge would not keep. */
  private async unsupported(
    scope: KbScope,
    keys: readonly string[],
    pairs: ReadonlyArray<[string, string]>,
  ): Promise<Pick<KbOrphans, 'entities' | 'relations'>> {
    const entities: string[] = [];
    for (const slice of slices(keys, GRAPH_SLICE)) {
      const kept = new Set(
        (await GraphMentions.mergedEntities(this.dataSource, scope, slice)).map((e) => e.key),
      );
      entities.push(...slice.filter((key) => !kept.has(key)));
    }
    const relations: Array<[string, string]> = [];
    for (const slice of slices(pairs, GRAPH_SLICE)) {
      const kept = new Set(
        (await GraphMentions.mergedRelations(this.dataSource, scope, slice)).map((r) =>
          pairKey(r.sourceKey, r.targetKey),
        ),
      );
      relations.push(...slice.filter(([a, b]) => !kept.has(pairKey(a, b))));
    }
    return { entities, relations };
  }
}

const scopeOf = (kb: { tenantId: string; kbId: string }): KbScope =>
  TenantContext.forJob({
    tenantId: kb.tenantId,
    kbId: kb.kbId,
    jobName: 'storage-check',
    jobId: kb.kbId,
  }).kbScope();
