import { QdrantClient } from '@qdrant/js-client-rest';
import { slices } from '@strata/core';
import { hiddenDocumentsOf, type KbScope, type TenantScope } from '@strata/tenancy';
import {
  assertVectorFits,
  VectorHit,
  VectorCount,
  VectorRecord,
  VectorSearch,
  VectorSpace,
  VectorStore,
} from './vectors.port';

const COLLECTION_PREFIX = 'strata_';
const UPSERT_BATCH = 256;

type Condition = { key: string; match: { value: string } | { any: string[] } } | { has_id: string[] };

/**
 * Vectors in Qdrant: one collection per embedding model and dimension, every point carrying
 * `tenant_id` (indexed as the tenant key), `kb_id`, `kind` and `document_id`. Every search, count
 * and delete filters on tenant and KB.
 */
export class QdrantVectorStore extends VectorStore {
  readonly description: string;
  private readonly client: QdrantClient;
  private readonly readyCollections = new Map<string, Promise<void>>();

  constructor(
    url: string,
    apiKey: string | null,
    /** Lets tests keep their collections apart from a real deployment's. */
    private readonly prefix = COLLECTION_PREFIX,
  ) {
    super();
    this.client = new QdrantClient({ url, apiKey: apiKey ?? undefined, checkCompatibility: false });
    this.description = `qdrant at ${new URL(url).host}`;
  }

  collectionName(space: VectorSpace): string {
    const model = space.model
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
    return `${this.prefix}${model}_${space.dimension}`;
  }

  async upsert(scope: KbScope, space: VectorSpace, records: readonly VectorRecord[]): Promise<void> {
    if (records.length === 0) return;
    records.forEach((record) => assertVectorFits(space, record.vector));
    const collection = await this.ensureCollection(space);
    for (const batch of slices(records, UPSERT_BATCH)) {
      await this.client.upsert(collection, {
        wait: true,
        points: batch.map((record) => ({
          id: record.id,
          vector: Array.from(record.vector),
          payload: {
            tenant_id: scope.tenantId,
            kb_id: scope.kbId,
            kind: record.kind,
            document_id: record.documentId,
            content_hash: record.contentHash ?? null,
          },
        })),
      });
    }
  }

  async search(scope: KbScope, space: VectorSpace, search: VectorSearch): Promise<VectorHit[]> {
    assertVectorFits(space, search.vector);
    const collection = this.collectionName(space);
    if (!(await this.client.collectionExists(collection)).exists) return [];
    const must: Condition[] = [...kbFilter(scope), { key: 'kind', match: { value: search.kind } }];
    if (search.documentIds !== undefined) {
      if (search.documentIds.length === 0) return [];
      must.push({ key: 'document_id', match: { any: [...search.documentIds] } });
    }
    const hidden = hiddenDocumentsOf(scope);
    const hits = await this.client.search(collection, {
      vector: Array.from(search.vector),
      limit: search.limit,
      // A vector of no document (the graph's) has no document_id, so it matches no hidden one.
      filter:
        hidden.length === 0
          ? { must }
          : { must, must_not: [{ key: 'document_id', match: { any: [...hidden] } }] },
      with_payload: ['document_id'],
    });
    return hits.map((hit) => ({
      id: String(hit.id),
      documentId: (hit.payload?.document_id as string | null | undefined) ?? null,
      score: hit.score,
    }));
  }

  async current(
    scope: KbScope,
    space: VectorSpace,
    candidates: ReadonlyArray<{ id: string; contentHash: string }>,
  ): Promise<Set<string>> {
    if (candidates.length === 0) return new Set();
    const collection = this.collectionName(space);
    if (!(await this.client.collectionExists(collection)).exists) return new Set();
    const wanted = new Map(candidates.map((c) => [c.id, c.contentHash]));
    const points = await this.client.retrieve(collection, {
      ids: [...wanted.keys()],
      with_payload: ['tenant_id', 'kb_id', 'content_hash'],
      with_vector: false,
    });
    return new Set(
      points
        .filter(
          ({ id, payload }) =>
            payload?.tenant_id === scope.tenantId &&
            payload?.kb_id === scope.kbId &&
            payload?.content_hash === wanted.get(String(id)),
        )
        .map(({ id }) => String(id)),
    );
  }

  async deleteDocuments(scope: KbScope, documentIds: readonly string[]): Promise<void> {
    if (documentIds.length === 0) return;
    await this.deleteEverywhere([
      ...kbFilter(scope),
      { key: 'document_id', match: { any: [...documentIds] } },
    ]);
  }

  async deleteIds(scope: KbScope, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.deleteEverywhere([...kbFilter(scope), { has_id: [...ids] }]);
  }

  deleteKnowledgeBase(scope: KbScope): Promise<void> {
    return this.deleteEverywhere(kbFilter(scope));
  }

  deleteTenant(scope: TenantScope): Promise<void> {
    return this.deleteEverywhere([{ key: 'tenant_id', match: { value: scope.tenantId } }]);
  }

  async count(scope: KbScope, filter: VectorCount = {}): Promise<number> {
    const must: Condition[] = kbFilter(scope);
    if (filter.documentIds !== undefined) {
      if (filter.documentIds.length === 0) return 0;
      must.push({ key: 'document_id', match: { any: [...filter.documentIds] } });
    }
    if (filter.kind !== undefined) must.push({ key: 'kind', match: { value: filter.kind } });
    let total = 0;
    for (const collection of await this.collections()) {
      total += (await this.client.count(collection, { filter: { must }, exact: true })).count;
    }
    return total;
  }

  async documentIds(scope: KbScope): Promise<Set<string>> {
    const ids = new Set<string>();
    const filter = { must: [...kbFilter(scope), { key: 'kind', match: { value: 'chunk' } }] };
    for (const collection of await this.collections()) {
      let offset: string | number | null | undefined = undefined;
      do {
        const page = await this.client.scroll(collection, {
          filter,
          limit: SCROLL_PAGE,
          offset: offset ?? undefined,
          with_payload: ['document_id'],
          with_vector: false,
        });
        for (const point of page.points) {
          const documentId = point.payload?.document_id;
          if (typeof documentId === 'string') ids.add(documentId);
        }
        offset = page.next_page_offset as string | number | null | undefined;
      } while (offset !== null && offset !== undefined);
    }
    return ids;
  }

  /** Collections are made per embedding space on first use: nothing to prepare. */
  async prepare(): Promise<void> {}

  async ping(): Promise<void> {
    await this.client.getCollections();
  }

  async close(): Promise<void> {}

  /** Drops this store's collections (tests only; a deployment keeps them). */
  async dropCollections(): Promise<void> {
    for (const collection of await this.collections()) await this.client.deleteCollection(collection);
    this.readyCollections.clear();
  }

  private async deleteEverywhere(must: Condition[]): Promise<void> {
    for (const collection of await this.collections()) {
      await this.client.delete(collection, { wait: true, filter: { must } });
    }
  }

  private async collections(): Promise<string[]> {
    const { collections } = await this.client.getCollections();
    return collections.map((c) => c.name).filter((name) => name.startsWith(this.prefix));
  }

  private ensureCollection(space: VectorSpace): Promise<string> {
    const name = this.collectionName(space);
    let ready = this.readyCollections.get(name);
    if (!ready) {
      ready = this.createCollection(name, space.dimension).catch((error: unknown) => {
        this.readyCollections.delete(name);
        throw error;
      });
      this.readyCollections.set(name, ready);
    }
    return ready.then(() => name);
  }

  private async createCollection(name: string, dimension: number): Promise<void> {
    if (!(await this.client.collectionExists(name)).exists) {
      try {
        await this.client.createCollection(name, { vectors: { size: dimension, distance: 'Cosine' } });
      } catch (error) {
        // Another replica created it first.
        if (!(await this.client.collectionExists(name)).exists) throw error;
      }
    }
    await this.client.createPayloadIndex(name, {
      field_name: 'tenant_id',
      field_schema: { type: 'keyword', is_tenant: true },
      wait: true,
    });
    for (const field of ['kb_id', 'document_id', 'kind']) {
      await this.client.createPayloadIndex(name, { field_name: field, field_schema: 'keyword', wait: true });
    }
  }
}

/** Points a consistency check reads at a time. */
const SCROLL_PAGE = 1_000;

const kbFilter = (scope: KbScope): Condition[] => [
  { key: 'tenant_id', match: { value: scope.tenantId } },
  { key: 'kb_id', match: { value: scope.kbId } },
];
