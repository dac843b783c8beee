import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { KbScope } from '@strata/tenancy';
import { openMigratedSqlClient } from '../../../../test/support/migrated-sql';
import { insertKb, insertProcessedDocument } from '../../../../test/support/sql-rows';
import type { TestDatabaseKind } from '../../../../test/support/test-database';
import type { SqlClient } from '@strata/storage';
import {
  type DocumentExtraction,
  type DocumentOwnership,
  GraphMentions,
  mentionParts,
} from './graph-mentions.repository';
import { GraphEdits } from './graph-edits.repository';

/** The bare client where the graph's SQL takes a transaction's manager: both only run `query`. */
const asManager = (db: SqlClient) => db as unknown as Pick<EntityManager, 'query'>;

/** A document whose one chunk mentions Oslo, Norway and the relation between them. */
async function addDocument(db: SqlClient, kb: KbScope): Promise<string> {
  const documentId = await insertProcessedDocument(db, kb);
  await GraphMentions.addMentions(asManager(db), kb, [
    {
      documentId,
      chunks: [
        {
          chunkId: randomUUID(),
          extraction: {
            entities: [
              { name: 'Oslo', type: 'city', description: 'A city.' },
              { name: 'Norway', type: 'country', description: 'A country.' },
            ],
            relations: [
              {
                source: 'Oslo',
                target: 'Norway',
                keywords: 'capital',
                description: 'Capital of.',
                weight: 1,
              },
            ],
          },
        },
      ],
    },
  ]);
  return documentId;
}

async function mentionsOf(
  db: SqlClient,
  documentId: string,
): Promise<{ entities: number; relations: number }> {
  const [entities] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM graph_entity_mentions WHERE document_id = $1',
    [documentId],
  );
  const [relations] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM graph_relation_mentions WHERE document_id = $1',
    [documentId],
  );
  return { entities: entities.n, relations: relations.n };
}

/** A document of `chunks` chunks, each mentioning ten entities of its own chained by nine relations. */
function manyMentions(documentId: string, chunks: number): DocumentExtraction {
  return {
    documentId,
    chunks: Array.from({ length: chunks }, (_, c) => {
      const names = Array.from({ length: 10 }, (_, e) => `Place ${documentId} ${c}-${e}`);
      return {
        chunkId: randomUUID(),
        extraction: {
          entities: names.map((name) => ({ name, type: 'location', description: `${name}.` })),
          relations: names.slice(1).map((name, i) => ({
            source: names[i],
            target: name,
            keywords: 'next to',
            description: 'Neighbours.',
            weight: 1,
          })),
        },
      };
    }),
  };
}

describe('mentionParts', () => {
  const sizes = (parts: DocumentExtraction[][]) =>
    parts.map((part) => part.map((d) => [d.documentId, d.chunks.length]));

  it('cuts between chunks at about the given number of mentions, in order, grouped by document', () => {
    const [a, b] = [manyMentions('a', 20), manyMentions('b', 20)]; // 19 mentions a chunk
    const parts = mentionParts([a, b], 250);
    expect(sizes(parts)).toEqual([
      [['a', 13]],
      [
        ['a', 7],
        ['b', 6],
      ],
      [['b', 13]],
      [['b', 1]],
    ]);
    expect(parts.flat().flatMap((d) => d.chunks)).toEqual([...a.chunks, ...b.chunks]);
  });

  it('never splits a chunk, even one over the limit, and leaves out chunks that mention nothing', () => {
    const big = manyMentions('big', 3);
    const empty: DocumentExtraction = {
      documentId: 'empty',
      chunks: [{ chunkId: 'c', extraction: { entities: [], relations: [] } }],
    };
    expect(sizes(mentionParts([big, empty], 10))).toEqual([[['big', 1]], [['big', 1]], [['big', 1]]]);
    expect(mentionParts([], 10)).toEqual([]);
  });
});

const NONE = { entities: 0, relations: 0 };
const ONE_DOCUMENT = { entities: 2, relations: 1 };

function mentionsSuite(kind: TestDatabaseKind, skipReason?: string): void {
  const describeOrSkip = skipReason ? describe.skip : describe;
  if (skipReason) process.stdout.write(`SKIPPING graph mentions on ${kind}: ${skipReason}\n`);
  describeOrSkip(`graph mentions follow their documents (${kind})`, () => {
    let db: SqlClient;
    beforeAll(async () => {
      db = await openMigratedSqlClient(kind);
    });
    afterAll(() => db.close());

    /** Runs each "transaction" on the bare client, counting them: enough to see the slicing. */
    function countedTransactions() {
      const counter = {
        count: 0,
        transact: <T>(work: (manager: EntityManager) => Promise<T>) => {
          counter.count++;
          return work(db as unknown as EntityManager);
        },
      };
      return counter;
    }

    it('are replaced a few hundred at a time, ownership checked again in each transaction', async () => {
      const kb = await insertKb(db);
      const documentId = await insertProcessedDocument(db, kb);
      await GraphMentions.addMentions(asManager(db), kb, [manyMentions(documentId, 2)]); // replaced below
      const checks: string[][] = [];
      const owned: DocumentOwnership = async (_manager, ids) => (checks.push(ids), ids);
      const counted = countedTransactions();
      const replaced = await GraphMentions.replaceDocuments(
        counted.transact,
        kb,
        [manyMentions(documentId, 30)],
        owned,
      );

      expect(counted.count).toBe(4); // the old mentions out, then 570 new ones in three
      expect(checks).toHaveLength(4);
      expect(await mentionsOf(db, documentId)).toEqual({ entities: 300, relations: 270 });
      expect(replaced!.kept.map((d) => d.documentId)).toEqual([documentId]);
      const { change } = replaced!;
      expect(change.entityKeys).toHaveLength(300); // the old mentions' twenty keys among them
      // What the document mentioned before is left for the merge to read back.
      expect(change.added!.entities).toHaveLength(300 - 20);
      expect(change.added!.relations).toHaveLength(270 - 18);
      expect(change.added!.version).toBe(await GraphMentions.version(asManager(db), kb));
    });

    it('stop for a document lost on the way and keep on with the others', async () => {
      const kb = await insertKb(db);
      const [kept, lost] = [await insertProcessedDocument(db, kb), await insertProcessedDocument(db, kb)];
      let checks = 0;
      // Owned through the removal and the first two parts, lost from the third on.
      const owned: DocumentOwnership = async (_manager, ids) =>
        ++checks <= 3 ? ids : ids.filter((id) => id !== lost);
      const { transact } = countedTransactions();
      const replaced = await GraphMentions.replaceDocuments(
        transact,
        kb,
        [manyMentions(kept, 20), manyMentions(lost, 20)],
        owned,
      );

      expect(replaced!.kept.map((d) => d.documentId)).toEqual([kept]);
      expect(await mentionsOf(db, kept)).toEqual({ entities: 200, relations: 180 });
      expect(await mentionsOf(db, lost)).toEqual({ entities: 60, relations: 54 }); // the six chunks of part two
      expect(replaced!.change.added).toBeUndefined(); // the merge reads everything back
      expect(replaced!.change.entityKeys).toHaveLength(200 + 60);
    });

    it('answer null and write nothing when no document is owned', async () => {
      const kb = await insertKb(db);
      const documentId = await insertProcessedDocument(db, kb);
      const counted = countedTransactions();
      const replaced = await GraphMentions.replaceDocuments(
        counted.transact,
        kb,
        [manyMentions(documentId, 5)],
        async () => [],
      );
      expect(replaced).toBeNull();
      expect(counted.count).toBe(1);
      expect(await mentionsOf(db, documentId)).toEqual(NONE);
    });

    it("go with a deleted document, and leave its neighbour's", async () => {
      const kb = await insertKb(db);
      const [gone, kept] = [await addDocument(db, kb), await addDocument(db, kb)];
      expect(await mentionsOf(db, gone)).toEqual(ONE_DOCUMENT);
      await db.query('DELETE FROM documents WHERE tenant_id = $1 AND kb_id = $2 AND id = $3', [
        kb.tenantId,
        kb.kbId,
        gone,
      ]);
      expect(await mentionsOf(db, gone)).toEqual(NONE);
      expect(await mentionsOf(db, kept)).toEqual(ONE_DOCUMENT);
    });

    it("go with a deleted KB's or tenant's documents, and leave another tenant's", async () => {
      const kb = await insertKb(db);
      const sibling = await insertKb(db, kb.tenantId);
      const elsewhere = await insertKb(db);
      const [inKb, inSibling, inElsewhere] = [
        await addDocument(db, kb),
        await addDocument(db, sibling),
        await addDocument(db, elsewhere),
      ];
      await db.query('DELETE FROM knowledge_bases WHERE id = $1', [kb.kbId]);
      expect(await mentionsOf(db, inKb)).toEqual(NONE);
      expect(await mentionsOf(db, inSibling)).toEqual(ONE_DOCUMENT);
      await db.query('DELETE FROM tenants WHERE id = $1', [kb.tenantId]);
      expect(await mentionsOf(db, inSibling)).toEqual(NONE);
      expect(await mentionsOf(db, inElsewhere)).toEqual(ONE_DOCUMENT);
    });

    it('move with an entity merge and then still go with their document', async () => {
      const kb = await insertKb(db);
      const documentId = await addDocument(db, kb);
      await GraphEdits.mergeEntities(asManager(db), kb, 'oslo', 'christiania');
      const keys = await db.query<{ entity_key: string }>(
        'SELECT entity_key FROM graph_entity_mentions WHERE document_id = $1 ORDER BY entity_key',
        [documentId],
      );
      expect(keys.map((k) => k.entity_key)).toEqual(['christiania', 'norway']);
      await db.query('DELETE FROM documents WHERE id = $1', [documentId]);
      expect(await mentionsOf(db, documentId)).toEqual(NONE);
    });
  });
}

mentionsSuite('embedded');
mentionsSuite('postgres', process.env.STRATA_PG_UNAVAILABLE);
