import { randomUUID } from 'node:crypto';
import {
  testKbScope as kbScope,
  testReaderScope as readerScope,
  testTenantScope as tenantScope,
} from '../../../../test/support/scopes';
import type { KbScope } from '@strata/tenancy';
import type { VectorRecord, VectorSpace, VectorStore } from './vectors.port';

const SPACE: VectorSpace = { model: 'contract-model', dimension: 4 };

const chunk = (documentId: string, vector: number[], id = randomUUID()): VectorRecord => ({
  id,
  kind: 'chunk',
  documentId,
  vector,
});

/** The behaviour every VectorStore adapter must have; each adapter's spec runs it. */
export function vectorStoreContract(
  name: string,
  open: () => Promise<VectorStore>,
  options: { skipReason?: string } = {},
): void {
  const suite = options.skipReason ? describe.skip : describe;
  const title = `VectorStore contract: ${name}${options.skipReason ? ` (skipped: ${options.skipReason})` : ''}`;
  suite(title, () => {
    let store: VectorStore;
    // Tenant A with two KBs, tenant B with one; each test uses fresh ids.
    let a1: KbScope, a2: KbScope, b1: KbScope;
    let tenantA: string, tenantB: string;

    beforeAll(async () => {
      store = await open();
    });
    afterAll(() => store.close());
    beforeEach(() => {
      tenantA = randomUUID();
      tenantB = randomUUID();
      a1 = kbScope(tenantA, randomUUID());
      a2 = kbScope(tenantA, randomUUID());
      b1 = kbScope(tenantB, randomUUID());
    });

    it('finds the nearest vectors first, with cosine similarity as the score', async () => {
      const doc = randomUUID();
      const near = chunk(doc, [1, 0, 0, 0]);
      const middle = chunk(doc, [1, 1, 0, 0]);
      const far = chunk(doc, [0, 0, 0, 1]);
      await store.upsert(a1, SPACE, [far, near, middle]);
      const hits = await store.search(a1, SPACE, { vector: [1, 0, 0, 0], kind: 'chunk', limit: 2 });
      expect(hits.map((h) => h.id)).toEqual([near.id, middle.id]);
      expect(hits[0].score).toBeCloseTo(1, 5);
      expect(hits[1].score).toBeCloseTo(Math.SQRT1_2, 4);
      expect(hits[0].documentId).toBe(doc);
    });

    it("never returns another tenant's or another KB's vectors", async () => {
      const secret = chunk(randomUUID(), [0, 1, 0, 0]);
      await store.upsert(a1, SPACE, [secret]);
      await store.upsert(a2, SPACE, [chunk(randomUUID(), [0, 0, 1, 0])]);
      await store.upsert(b1, SPACE, [chunk(randomUUID(), [0, 0, 1, 0])]);
      const query = { vector: [0, 1, 0, 0], kind: 'chunk' as const, limit: 10 };
      expect((await store.search(a1, SPACE, query)).map((h) => h.id)).toEqual([secret.id]);
      expect((await store.search(a2, SPACE, query)).map((h) => h.id)).not.toContain(secret.id);
      expect((await store.search(b1, SPACE, query)).map((h) => h.id)).not.toContain(secret.id);
      // The same KB id under another tenant is another KB.
      const sameKbOtherTenant = kbScope(tenantB, a1.kbId);
      expect(await store.search(sameKbOtherTenant, SPACE, query)).toEqual([]);
      expect(await store.count(sameKbOtherTenant)).toBe(0);
      expect(await store.count(a1)).toBe(1);
    });

    it('keeps embedding spaces apart and refuses a vector of the wrong dimension', async () => {
      const other: VectorSpace = { model: 'other-model', dimension: 4 };
      const record = chunk(randomUUID(), [1, 0, 0, 0]);
      await store.upsert(a1, other, [record]);
      expect(await store.search(a1, SPACE, { vector: [1, 0, 0, 0], kind: 'chunk', limit: 5 })).toEqual([]);
      expect(await store.search(a1, other, { vector: [1, 0, 0, 0], kind: 'chunk', limit: 5 })).toHaveLength(
        1,
      );
      await expect(store.upsert(a1, SPACE, [chunk(randomUUID(), [1, 0, 0])])).rejects.toThrow(/dimension/);
    });

    it('tells which vectors are current: same id, space, KB and content hash', async () => {
      const entity = (id: string, contentHash: string): VectorRecord => ({
        id,
        kind: 'entity',
        documentId: null,
        vector: [0, 0, 1, 0],
        contentHash,
      });
      const [same, changed, unhashed, absent] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await store.upsert(a1, SPACE, [entity(same, 'h1'), entity(changed, 'h2')]);
      await store.upsert(a1, SPACE, [{ ...entity(unhashed, 'x'), contentHash: undefined }]);
      const asked = [
        { id: same, contentHash: 'h1' },
        { id: changed, contentHash: 'h2-new' },
        { id: unhashed, contentHash: 'x' },
        { id: absent, contentHash: 'h1' },
      ];
      expect([...(await store.current(a1, SPACE, asked))]).toEqual([same]);
      expect(await store.current(a1, { model: 'other-model', dimension: 4 }, asked)).toEqual(new Set());
      expect(await store.current(a2, SPACE, asked)).toEqual(new Set());
      expect(await store.current(kbScope(tenantB, a1.kbId), SPACE, asked)).toEqual(new Set());
      expect(await store.current(a1, SPACE, [])).toEqual(new Set());
      // Written again with new content, the vector is current for the new hash only.
      await store.upsert(a1, SPACE, [entity(changed, 'h2-new')]);
      expect(await store.current(a1, SPACE, asked)).toEqual(new Set([same, changed]));
    });

    it('writes and checks more vectors than one statement carries (a graph batch has thousands)', async () => {
      const many: VectorRecord[] = Array.from({ length: 1200 }, (_, i) => ({
        id: randomUUID(),
        kind: 'relation',
        documentId: null,
        vector: [1, i + 1, 0, 0],
        contentHash: `h${i}`,
      }));
      await store.upsert(a1, SPACE, many);
      const asked = many.map((v, i) => ({ id: v.id, contentHash: i % 3 === 0 ? 'changed' : v.contentHash! }));
      const current = await store.current(a1, SPACE, asked);
      expect(current.size).toBe(800);
      expect(many.every((v, i) => current.has(v.id) === (i % 3 !== 0))).toBe(true);
      const hits = await store.search(a1, SPACE, { vector: [1, 1200, 0, 0], kind: 'relation', limit: 1 });
      expect(hits.map((h) => h.id)).toEqual([many[1199].id]);
    });

    it("finds a small KB's vectors in a store where other KBs hold many more", async () => {
      const big = kbScope(randomUUID(), randomUUID());
      const crowd = Array.from({ length: 3000 }, (_, i) =>
        chunk(randomUUID(), [1, Math.sin(i), Math.cos(i), (i % 7) / 7]),
      );
      for (let i = 0; i < crowd.length; i += 500) await store.upsert(big, SPACE, crowd.slice(i, i + 500));
      const mine = [chunk(randomUUID(), [0, 0, 1, 0]), chunk(randomUUID(), [0, 1, 0, 0])];
      await store.upsert(a1, SPACE, mine);
      // The query is closest to the crowd: an index that filters only after its nearest-neighbour
      // search would find none of this KB's vectors.
      const hits = await store.search(a1, SPACE, { vector: [1, 0, 0, 0], kind: 'chunk', limit: 5 });
      expect(hits.map((h) => h.id).sort()).toEqual(mine.map((m) => m.id).sort());
      await store.deleteKnowledgeBase(big);
    });

    it('filters by kind and by document ids', async () => {
      const docA = randomUUID();
      const docB = randomUUID();
      const entity: VectorRecord = {
        id: randomUUID(),
        kind: 'entity',
        documentId: null,
        vector: [1, 0, 0, 0],
      };
      await store.upsert(a1, SPACE, [chunk(docA, [1, 0, 0, 0]), chunk(docB, [1, 0.1, 0, 0]), entity]);
      const chunks = await store.search(a1, SPACE, { vector: [1, 0, 0, 0], kind: 'chunk', limit: 10 });
      expect(chunks).toHaveLength(2);
      const entities = await store.search(a1, SPACE, { vector: [1, 0, 0, 0], kind: 'entity', limit: 10 });
      expect(entities.map((h) => h.id)).toEqual([entity.id]);
      const onlyB = await store.search(a1, SPACE, {
        vector: [1, 0, 0, 0],
        kind: 'chunk',
        limit: 10,
        documentIds: [docB],
      });
      expect(onlyB.map((h) => h.documentId)).toEqual([docB]);
      expect(
        await store.search(a1, SPACE, { vector: [1, 0, 0, 0], kind: 'chunk', limit: 10, documentIds: [] }),
      ).toEqual([]);
    });

    it('leaves out the vectors of documents the scope hides, and keeps those of no document', async () => {
      const open = randomUUID();
      const hidden = randomUUID();
      const entity: VectorRecord = {
        id: randomUUID(),
        kind: 'entity',
        documentId: null,
        vector: [1, 0, 0, 0],
      };
      await store.upsert(a1, SPACE, [chunk(open, [1, 0.1, 0, 0]), chunk(hidden, [1, 0, 0, 0]), entity]);
      const reader = readerScope(a1.tenantId, a1.kbId, [hidden]);
      const chunks = await store.search(reader, SPACE, { vector: [1, 0, 0, 0], kind: 'chunk', limit: 10 });
      expect(chunks.map((h) => h.documentId)).toEqual([open]);
      const withFilter = await store.search(reader, SPACE, {
        vector: [1, 0, 0, 0],
        kind: 'chunk',
        limit: 10,
        documentIds: [open, hidden],
      });
      expect(withFilter.map((h) => h.documentId)).toEqual([open]);
      const entities = await store.search(reader, SPACE, { vector: [1, 0, 0, 0], kind: 'entity', limit: 10 });
      expect(entities.map((h) => h.id)).toEqual([entity.id]);
      // The KB's own scope (a job's, an admin's) still finds both.
      expect(await store.search(a1, SPACE, { vector: [1, 0, 0, 0], kind: 'chunk', limit: 10 })).toHaveLength(
        2,
      );
    });

    it('replaces a vector upserted again under the same id', async () => {
      const doc = randomUUID();
      const id = randomUUID();
      await store.upsert(a1, SPACE, [chunk(doc, [1, 0, 0, 0], id)]);
      await store.upsert(a1, SPACE, [chunk(doc, [0, 0, 0, 1], id)]);
      expect(await store.count(a1)).toBe(1);
      const [hit] = await store.search(a1, SPACE, { vector: [0, 0, 0, 1], kind: 'chunk', limit: 1 });
      expect(hit.id).toBe(id);
      expect(hit.score).toBeCloseTo(1, 5);
    });

    it('ranks mostly-zero and full vectors together, and replaces one kind with the other', async () => {
      // Stores may keep a vector with few values set in another form; what a search finds and
      // scores must not depend on it.
      const space: VectorSpace = { model: 'contract-forms', dimension: 16 };
      const unit = (values: Record<number, number>) => Array.from({ length: 16 }, (_, i) => values[i] ?? 0);
      const doc = randomUUID();
      const few = chunk(doc, unit({ 0: 1, 5: 1 }));
      const full = chunk(
        doc,
        Array.from({ length: 16 }, (_, i) => (i === 0 ? 4 : 1)),
      );
      const other = chunk(doc, unit({ 9: 1 }));
      await store.upsert(a1, space, [other, full, few]);
      const query = unit({ 0: 1 });
      const hits = await store.search(a1, space, { vector: query, kind: 'chunk', limit: 3 });
      expect(hits.map((h) => h.id)).toEqual([full.id, few.id, other.id]);
      expect(hits[0].score).toBeCloseTo(4 / Math.sqrt(31), 5);
      expect(hits[1].score).toBeCloseTo(Math.SQRT1_2, 5);
      expect(hits[2].score).toBeCloseTo(0, 5);
      // The same ids again, each now of the other kind.
      await store.upsert(a1, space, [
        { ...few, vector: Array.from({ length: 16 }, () => 1) },
        { ...full, vector: unit({ 9: 2, 3: 1 }) },
      ]);
      const again = await store.search(a1, space, { vector: unit({ 9: 1 }), kind: 'chunk', limit: 3 });
      expect(again.map((h) => h.id)).toEqual([other.id, full.id, few.id]);
      expect(again[1].score).toBeCloseTo(2 / Math.sqrt(5), 5);
      expect(again[2].score).toBeCloseTo(0.25, 5);
      expect(await store.count(a1)).toBe(3);
    });

    it("deletes a document's vectors, and only in its own KB", async () => {
      const doc = randomUUID();
      await store.upsert(a1, SPACE, [
        chunk(doc, [1, 0, 0, 0]),
        chunk(doc, [0, 1, 0, 0]),
        chunk(randomUUID(), [0, 0, 1, 0]),
      ]);
      await store.upsert(a2, SPACE, [chunk(doc, [1, 0, 0, 0])]);
      expect(await store.count(a1, { documentIds: [doc] })).toBe(2);
      await store.deleteDocuments(a1, [doc]);
      expect(await store.count(a1, { documentIds: [doc] })).toBe(0);
      expect(await store.count(a1)).toBe(1);
      expect(await store.count(a2, { documentIds: [doc] })).toBe(1);
    });

    it("counts and lists the documents' vectors, in its own KB only", async () => {
      const [one, two] = [randomUUID(), randomUUID()];
      await store.upsert(a1, SPACE, [
        chunk(one, [1, 0, 0, 0]),
        chunk(one, [0, 1, 0, 0]),
        chunk(two, [0, 0, 1, 0]),
      ]);
      await store.upsert(a2, SPACE, [chunk(randomUUID(), [1, 0, 0, 0])]);
      expect(await store.count(a1, { documentIds: [one, two] })).toBe(3);
      expect(await store.count(a1, { documentIds: [] })).toBe(0);
      expect(await store.documentIds(a1)).toEqual(new Set([one, two]));
      await store.deleteDocuments(a1, [one, two]);
      expect(await store.documentIds(a1)).toEqual(new Set());
      expect((await store.documentIds(a2)).size).toBe(1);
    });

    it('deletes entity and relation vectors by id, and only in its own KB', async () => {
      const entity: VectorRecord = {
        id: randomUUID(),
        kind: 'entity',
        documentId: null,
        vector: [1, 0, 0, 0],
      };
      const relation: VectorRecord = {
        id: randomUUID(),
        kind: 'relation',
        documentId: null,
        vector: [0, 1, 0, 0],
      };
      await store.upsert(a1, SPACE, [entity, relation, chunk(randomUUID(), [0, 0, 1, 0])]);
      await store.upsert(a2, SPACE, [{ ...entity }]);
      expect(
        (await store.search(a1, SPACE, { vector: [1, 0, 0, 0], kind: 'entity', limit: 5 })).map((h) => h.id),
      ).toEqual([entity.id]);
      await store.deleteIds(a1, [entity.id, relation.id]);
      await store.deleteIds(a1, []);
      expect(await store.count(a1)).toBe(1);
      expect(await store.count(a1, { kind: 'entity' })).toBe(0);
      expect(await store.count(a2, { kind: 'entity' })).toBe(1);
    });

    it('deletes a whole KB, and a whole tenant, leaving the others', async () => {
      await store.upsert(a1, SPACE, [chunk(randomUUID(), [1, 0, 0, 0])]);
      await store.upsert(a2, SPACE, [chunk(randomUUID(), [1, 0, 0, 0])]);
      await store.upsert(b1, SPACE, [chunk(randomUUID(), [1, 0, 0, 0])]);
      await store.deleteKnowledgeBase(a1);
      expect(await store.count(a1)).toBe(0);
      expect(await store.count(a2)).toBe(1);
      await store.deleteTenant(tenantScope(tenantA));
      expect(await store.count(a2)).toBe(0);
      expect(await store.count(b1)).toBe(1);
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
