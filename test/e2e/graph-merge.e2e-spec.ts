import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { newId } from '@strata/core';
import {
  type AddedMentions,
  type ChunkExtraction,
  type DocumentExtraction,
  GraphMentions,
  MAX_MERGED_MENTIONS,
  type MergedEntity,
  type MergedRelation,
} from '@strata/graph';
import type { KbScope } from '@strata/tenancy';
import {
  addMember,
  addTextDocument,
  createKnowledgeBase,
  createTenant,
  loginAdmin,
  waitForDocument,
} from '../factories';
import { testKbScope } from '../support/scopes';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

/** Relations with their weight rounded: a sum's last bits may depend on the order of its terms. */
const comparable = (relations: MergedRelation[]) =>
  relations.map((r) => ({ ...r, weight: Math.round(r.weight * 1e9) / 1e9 }));
const byKey = (a: MergedEntity, b: MergedEntity) => (a.key < b.key ? -1 : 1);
const byPair = (a: MergedRelation, b: MergedRelation) =>
  a.sourceKey + '\u0000' + a.targetKey < b.sourceKey + '\u0000' + b.targetKey ? -1 : 1;

const extraction = (
  entities: Array<[string, string, string]>,
  relations: Array<[string, string, string, string, number]> = [],
): ChunkExtraction => ({
  entities: entities.map(([name, type, description]) => ({ name, type, description })),
  relations: relations.map(([source, target, keywords, description, weight]) => ({
    source,
    target,
    keywords,
    description,
    weight,
  })),
});

/**
 * A graph batch merges what only it mentions from its own mentions, in memory; everything else
 * is read back from the mention tables. Both must give the same merged entities and relations,
 * on this database's collation and types.
 */
describeE2E('merging what a graph batch alone mentions', () => {
  let t: TestApp;
  let db: DataSource;
  let scope: KbScope;
  let documents: string[];

  beforeAll(async () => {
    t = await startTestApp();
    const platform = await loginAdmin(t.http);
    const tenant = await createTenant(t.http, platform);
    const admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    // Mentions are written here by hand: the KB's own graph stage stays out of the way.
    const kb = await createKnowledgeBase(t.http, admin, tenant, {
      config: { extraction: { enabled: false } },
    });
    documents = [];
    for (const text of ['First document.', 'Second document.', 'Third document.']) {
      const id = await addTextDocument(t.http, admin, tenant, kb, text);
      await waitForDocument(t.http, admin, tenant, kb, id);
      documents.push(id);
    }
    db = t.app.get(DataSource);
    scope = testKbScope(tenant.id, kb.id);
  });
  afterAll(() => t.close());

  /** Replaces the documents' mentions; answers the change's added mentions and their merge in both ways. */
  async function replace(batch: DocumentExtraction[]) {
    const replaced = await GraphMentions.replaceDocuments(
      (work) => db.transaction(work),
      scope,
      batch,
      async (_manager, ids) => ids,
    );
    const change = replaced!.change;
    const added = change.added as AddedMentions;
    const first = await GraphMentions.firstMentions(db, scope, added);
    const read = {
      entities: await GraphMentions.mergedEntities(
        db,
        scope,
        first.entities.map((e) => e.key),
      ),
      relations: await GraphMentions.mergedRelations(
        db,
        scope,
        first.relations.map((r) => [r.sourceKey, r.targetKey] as [string, string]),
      ),
    };
    return { change, added, first, read };
  }

  it('gives what the mention tables give, ties, case, accents and repeats included', async () => {
    const [c1, c2, c3] = [randomUUID(), randomUUID(), randomUUID()];
    const { change, first, read } = await replace([
      {
        documentId: documents[0],
        chunks: [
          {
            chunkId: c1,
            extraction: extraction(
              [
                ['Oslo', 'place', 'The capital.'],
                ['OSLO', 'Zone', 'A repeat in the same chunk: dropped.'],
                ['Ørsta', 'location', ''],
                ['Zürich 😀', 'other', 'Emoji and accents.'],
                ['Norway', 'location', 'A country.'],
              ],
              [
                ['Oslo', 'Norway', 'capital, city', 'Oslo is the capital of Norway.', 2],
                ['Norway', 'Oslo', 'Capital', 'The same pair the other way round.', 0.1],
              ],
            ),
          },
          {
            chunkId: c2,
            extraction: extraction(
              [
                ['oslo', 'Zone', 'The capital.'],
                ['Ørsta', 'Location', 'A town.'],
                ['Norway', 'location', 'A country.'],
              ],
              [
                ['Oslo', 'Norway', '', 'Oslo is the capital of Norway.', 0.7],
                ['Ørsta', 'Norway', 'town', 'Ørsta lies in Norway.', 1],
              ],
            ),
          },
        ],
      },
      {
        documentId: documents[1],
        chunks: [
          {
            chunkId: c3,
            extraction: extraction(
              [
                ['Oslo', 'place', 'Also a port.'],
                ['Zürich 😀', 'Other', 'Emoji and accents.'],
              ],
              [['Oslo', 'Norway', 'Capital', 'A later description.', 0.2]],
            ),
          },
        ],
      },
    ]);
    // Nothing else mentions these: all of the change is merged in memory.
    expect(first.entities.map((e) => e.key).sort()).toEqual([...change.entityKeys].sort());
    expect(first.relations).toHaveLength(change.relationPairs.length);
    expect(first.entities.length).toBe(4);
    expect([...first.entities].sort(byKey)).toEqual([...read.entities].sort(byKey));
    expect(comparable([...first.relations].sort(byPair))).toEqual(
      comparable([...read.relations].sort(byPair)),
    );
    const oslo = first.entities.find((e) => e.key === 'oslo')!;
    expect(oslo.descriptions).toEqual(['The capital.', 'Also a port.']);
    expect(oslo.sourceChunkIds).toHaveLength(3);
  });

  it('leaves out what other documents mention or an editor changed, and what the documents mentioned before', async () => {
    await db.query(
      `INSERT INTO graph_entity_edits (tenant_id, kb_id, entity_key, description) VALUES ($1, $2, 'bergen', 'Edited.')`,
      [scope.tenantId, scope.kbId],
    );
    const third = await replace([
      {
        documentId: documents[2],
        chunks: [
          {
            chunkId: randomUUID(),
            extraction: extraction(
              [
                ['Oslo', 'location', 'Mentioned by the first two documents too.'],
                ['Bergen', 'location', 'Edited by an editor.'],
                ['Tromsø', 'location', 'Only here.'],
              ],
              [
                ['Oslo', 'Norway', 'capital', 'A pair the first document has.', 1],
                ['Tromsø', 'Oslo', 'north', 'A new pair.', 1],
              ],
            ),
          },
        ],
      },
    ]);
    expect(third.first.entities.map((e) => e.key)).toEqual(['tromsø']);
    expect(third.first.relations.map((r) => [r.sourceKey, r.targetKey])).toEqual([['oslo', 'tromsø']]);
    expect(third.first).toEqual({
      entities: third.read.entities,
      relations: comparable(third.read.relations),
    });

    // The third document again: what it mentioned before is read back, not taken from the change.
    const again = await replace([
      {
        documentId: documents[2],
        chunks: [{ chunkId: randomUUID(), extraction: extraction([['Tromsø', 'location', 'Rewritten.']]) }],
      },
    ]);
    expect(again.added.entities).toEqual([]);
    expect(again.change.entityKeys.sort()).toEqual(['bergen', 'oslo', 'tromsø']);
  });

  it('reads back only the earliest mentions of a much-mentioned entity, as the batch merged them', async () => {
    // In id order: within a document, mentions are taken in chunk id order.
    const chunks = Array.from({ length: MAX_MERGED_MENTIONS + 30 }, (_, i) => ({
      chunkId: newId(),
      extraction: extraction(
        [['Hub', 'place', `Said in chunk ${i}.`]],
        [['Hub', 'Spoke', 'near', `Near in chunk ${i}.`, 1]],
      ),
    }));
    const { first, read } = await replace([{ documentId: documents[0], chunks }]);
    const hub = read.entities.find((e) => e.key === 'hub')!;
    expect(hub.sourceChunkIds).toEqual(chunks.slice(0, MAX_MERGED_MENTIONS).map((c) => c.chunkId));
    expect(hub.descriptions[0]).toBe('Said in chunk 0.');
    expect(hub.descriptions).not.toContain(`Said in chunk ${MAX_MERGED_MENTIONS}.`);
    expect(read.relations.find((r) => r.sourceKey === 'hub')!.weight).toBe(MAX_MERGED_MENTIONS);
    expect(first.entities.find((e) => e.key === 'hub')).toEqual(hub);
    expect(comparable(first.relations)).toEqual(comparable(read.relations));
  });

  it('answers the version its change made the graph', async () => {
    const { added } = await replace([
      {
        documentId: documents[1],
        chunks: [{ chunkId: randomUUID(), extraction: extraction([['Lillehammer', 'location', 'New.']]) }],
      },
    ]);
    expect(added.version).toBe(await GraphMentions.version(db, scope));
  });
});
