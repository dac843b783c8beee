import { randomUUID } from 'node:crypto';
import { testKbScope as kbScope, testTenantScope as tenantScope } from '../../../../test/support/scopes';
import type { KbScope } from '@strata/tenancy';
import { type GraphEntity, type GraphRelation, GraphStore, relationPair } from './graph.port';

const entity = (name: string, overrides: Partial<GraphEntity> = {}): GraphEntity => ({
  id: randomUUID(),
  key: name.toLowerCase(),
  name,
  type: 'person',
  description: `${name} is someone.`,
  sourceChunkIds: [randomUUID()],
  ...overrides,
});

const relation = (a: string, b: string, weight = 1): GraphRelation => {
  const [sourceKey, targetKey] = relationPair(a.toLowerCase(), b.toLowerCase());
  return {
    id: randomUUID(),
    sourceKey,
    targetKey,
    keywords: 'knows',
    description: `${a} knows ${b}.`,
    weight,
    sourceChunkIds: [randomUUID()],
  };
};

/** A chain a - b - c - d - e, plus f linked to b: "b" is the best-connected entity. */
async function chain(store: GraphStore, scope: KbScope) {
  const names = ['A', 'B', 'C', 'D', 'E', 'F'];
  const entities = names.map((n) => entity(n));
  await store.upsertEntities(scope, entities);
  const relations = [
    relation('A', 'B', 3),
    relation('B', 'C'),
    relation('C', 'D'),
    relation('D', 'E'),
    relation('B', 'F'),
  ];
  await store.upsertRelations(scope, relations);
  return { entities, relations };
}

const keysOf = (items: Array<{ key: string }>) => items.map((i) => i.key).sort();

/** The behaviour every GraphStore adapter must have; each adapter's spec runs it. */
export function graphStoreContract(
  name: string,
  open: () => Promise<GraphStore>,
  options: { skipReason?: string } = {},
): void {
  const suite = options.skipReason ? describe.skip : describe;
  const title = `GraphStore contract: ${name}${options.skipReason ? ` (skipped: ${options.skipReason})` : ''}`;
  suite(title, () => {
    let store: GraphStore;
    let a1: KbScope, a2: KbScope, b1: KbScope;
    let tenantA: string;

    beforeAll(async () => {
      store = await open();
    });
    afterAll(() => store.close());
    beforeEach(() => {
      tenantA = randomUUID();
      a1 = kbScope(tenantA, randomUUID());
      a2 = kbScope(tenantA, randomUUID());
      b1 = kbScope(randomUUID(), randomUUID());
    });

    it("lists every key and pair of a KB's graph, and only that KB's", async () => {
      await chain(store, a1);
      await store.upsertEntities(a2, [entity('Z')]);
      const keys = await store.keys(a1);
      expect([...keys.entityKeys].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
      expect(keys.relationPairs.map(([s, t]) => `${s}-${t}`).sort()).toEqual([
        'a-b',
        'b-c',
        'b-f',
        'c-d',
        'd-e',
      ]);
      expect(await store.keys(a2)).toEqual({ entityKeys: ['z'], relationPairs: [] });
      expect(await store.keys(b1)).toEqual({ entityKeys: [], relationPairs: [] });
    });

    it('stores entities and relations, and upserts replace them', async () => {
      const { entities, relations } = await chain(store, a1);
      expect(await store.count(a1)).toEqual({ entities: 6, relations: 5 });
      const [b] = await store.entities(a1, ['b']);
      expect(b).toEqual({ ...entities[1], degree: 3 });
      await store.upsertEntities(a1, [{ ...entities[1], description: 'B, revised.', sourceChunkIds: [] }]);
      expect((await store.entities(a1, ['b']))[0]).toMatchObject({
        description: 'B, revised.',
        sourceChunkIds: [],
      });
      const degrees = async () =>
        (
          await store.entities(
            a1,
            entities.map((e) => e.key),
          )
        )
          .map((e) => [e.key, e.degree])
          .sort();
      const degreesBefore = await degrees();
      await store.upsertRelations(a1, [{ ...relations[0], weight: 7, keywords: 'works with' }]);
      expect(await store.relationsById(a1, [relations[0].id])).toEqual([
        { ...relations[0], weight: 7, keywords: 'works with' },
      ]);
      // Relations written again, changed or not, are no new relations: the degrees stay.
      await store.upsertRelations(a1, relations.slice(1));
      expect(await degrees()).toEqual(degreesBefore);
      expect((await store.entitiesById(a1, [entities[0].id])).map((e) => e.key)).toEqual(['a']);
      expect(await store.count(a1)).toEqual({ entities: 6, relations: 5 });
    });

    it('writes more entities and relations than one statement carries (a graph batch has thousands)', async () => {
      const entities: GraphEntity[] = Array.from({ length: 600 }, (_, i) => ({
        id: randomUUID(),
        key: `entity ${String(i).padStart(3, '0')}`,
        name: `Entity ${i}`,
        type: 'concept',
        description: `The ${i}th entity.`,
        sourceChunkIds: [],
      }));
      const relations: GraphRelation[] = entities.slice(1).map((e, i) => ({
        id: randomUUID(),
        sourceKey: entities[i].key,
        targetKey: e.key,
        keywords: 'next',
        description: `${entities[i].name} comes before ${e.name}.`,
        weight: 1,
        sourceChunkIds: [],
      }));
      await store.upsertEntities(a1, [...entities].reverse());
      await store.upsertRelations(a1, relations);
      expect(await store.count(a1)).toEqual({ entities: 600, relations: 599 });
      const [last] = await store.entities(a1, ['entity 599']);
      expect(last).toMatchObject({ name: 'Entity 599', degree: 1 });
    });

    it('finds the relations of entities, heaviest first', async () => {
      await chain(store, a1);
      const around = await store.relationsOf(a1, ['b'], 10);
      expect(around.map((r) => [r.sourceKey, r.targetKey])).toEqual([
        ['a', 'b'],
        ['b', 'c'],
        ['b', 'f'],
      ]);
      expect(await store.relationsOf(a1, ['b'], 1)).toHaveLength(1);
      expect(await store.relationsOf(a1, [], 10)).toEqual([]);
    });

    it("finds each entity's heaviest relations, key by key, each relation once", async () => {
      await chain(store, a1);
      // B's heaviest is A-B (weight 3); B-C and B-F tie at 1 and go by key.
      const each = await store.relationsOfEach(a1, ['b', 'd', 'c'], 2);
      expect(each.map((r) => `${r.sourceKey}-${r.targetKey}`)).toEqual(['a-b', 'b-c', 'c-d', 'd-e']);
      expect((await store.relationsOfEach(a1, ['b', 'e'], 1)).map((r) => r.targetKey)).toEqual(['b', 'e']);
      expect(await store.relationsOfEach(a1, [], 5)).toEqual([]);
      expect(await store.relationsOfEach(a2, ['b'], 5)).toEqual([]);
    });

    it('walks neighbourhoods to a depth, nearest first, and says when it truncates', async () => {
      await chain(store, a1);
      const one = await store.neighbourhood(a1, { startKey: 'c', maxDepth: 1, maxNodes: 10 });
      expect(keysOf(one.entities)).toEqual(['b', 'c', 'd']);
      expect(one.relations.map((r) => `${r.sourceKey}-${r.targetKey}`).sort()).toEqual(['b-c', 'c-d']);
      expect(one.truncated).toBe(false);
      const two = await store.neighbourhood(a1, { startKey: 'c', maxDepth: 2, maxNodes: 10 });
      expect(keysOf(two.entities)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
      const capped = await store.neighbourhood(a1, { startKey: 'c', maxDepth: 3, maxNodes: 3 });
      expect(capped.entities[0].key).toBe('c');
      expect(keysOf(capped.entities)).toEqual(['b', 'c', 'd']);
      expect(capped.truncated).toBe(true);
      const whole = await store.neighbourhood(a1, { startKey: null, maxDepth: 1, maxNodes: 2 });
      expect(whole.entities[0].key).toBe('b');
      expect(whole.truncated).toBe(true);
      expect(await store.neighbourhood(a1, { startKey: 'nobody', maxDepth: 2, maxNodes: 5 })).toEqual({
        entities: [],
        relations: [],
        truncated: false,
      });
    });

    it('lists labels best-connected first, searching by part of the name', async () => {
      await chain(store, a1);
      await store.upsertEntities(a1, [entity('Northwind Traders'), entity('100%_Sure')]);
      const all = await store.labels(a1, '', 3);
      expect(all[0]).toEqual({ name: 'B', degree: 3 });
      expect(all).toHaveLength(3);
      expect(await store.labels(a1, 'WIND', 10)).toEqual([{ name: 'Northwind Traders', degree: 0 }]);
      expect((await store.labels(a1, '%_', 10)).map((l) => l.name)).toEqual(['100%_Sure']);
    });

    it('deletes entities with their relations, and relations alone, keeping degrees right', async () => {
      await chain(store, a1);
      await store.deleteEntities(a1, ['c']);
      expect(await store.count(a1)).toEqual({ entities: 5, relations: 3 });
      expect((await store.entities(a1, ['b', 'd'])).map((e) => [e.key, e.degree]).sort()).toEqual([
        ['b', 2],
        ['d', 1],
      ]);
      await store.deleteRelations(a1, [['a', 'b']]);
      expect((await store.entities(a1, ['b']))[0].degree).toBe(1);
      expect(await store.count(a1)).toEqual({ entities: 5, relations: 2 });
    });

    it('takes concurrent writes of the same entities and relations in opposite orders', async () => {
      const names = Array.from({ length: 300 }, (_, i) => `N${String(i).padStart(3, '0')}`);
      const entities = names.map((n) => entity(n));
      const relations = names.slice(1).map((n, i) => relation(names[i], n));
      for (let round = 0; round < 5; round++) {
        await Promise.all([
          store.upsertEntities(a1, entities),
          store.upsertEntities(a1, [...entities].reverse()),
          store.upsertRelations(a1, relations),
          store.upsertRelations(a1, [...relations].reverse()),
        ]);
      }
      expect(await store.count(a1)).toEqual({ entities: 300, relations: 299 });
      const [middle] = await store.entities(a1, ['n150']);
      expect(middle.degree).toBe(2);
    });

    it("never reads or changes another tenant's or another KB's graph", async () => {
      await chain(store, a1);
      await chain(store, b1);
      for (const scope of [a2, kbScope(randomUUID(), a1.kbId)]) {
        expect(await store.count(scope)).toEqual({ entities: 0, relations: 0 });
        expect(await store.entities(scope, ['a', 'b'])).toEqual([]);
        expect(await store.relationsOf(scope, ['b'], 10)).toEqual([]);
        expect(await store.labels(scope, '', 10)).toEqual([]);
        expect(
          (await store.neighbourhood(scope, { startKey: 'b', maxDepth: 3, maxNodes: 10 })).entities,
        ).toEqual([]);
        expect(
          (await store.neighbourhood(scope, { startKey: null, maxDepth: 1, maxNodes: 10 })).entities,
        ).toEqual([]);
      }
      const ids = (await store.entities(a1, ['a'])).map((e) => e.id);
      expect(await store.entitiesById(a2, ids)).toEqual([]);
      await store.deleteEntities(a2, ['a', 'b']);
      await store.deleteKnowledgeBase(a2);
      await store.deleteTenant(tenantScope(randomUUID()));
      expect(await store.count(a1)).toEqual({ entities: 6, relations: 5 });
      expect(await store.count(b1)).toEqual({ entities: 6, relations: 5 });
    });

    it('purges a KB, then a whole tenant', async () => {
      await chain(store, a1);
      await chain(store, a2);
      await chain(store, b1);
      await store.deleteKnowledgeBase(a1);
      expect(await store.count(a1)).toEqual({ entities: 0, relations: 0 });
      expect(await store.count(a2)).toEqual({ entities: 6, relations: 5 });
      await store.deleteTenant(tenantScope(tenantA));
      expect(await store.count(a2)).toEqual({ entities: 0, relations: 0 });
      expect(await store.count(b1)).toEqual({ entities: 6, relations: 5 });
    });
  });
}
