import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { KbScope } from '@strata/tenancy';
import { openMigratedSqlClient } from '../../../../test/support/migrated-sql';
import { insertKb, insertProcessedDocument } from '../../../../test/support/sql-rows';
import type { TestDatabaseKind } from '../../../../test/support/test-database';
import type { SqlClient } from '../../../storage/src/vectors/sql-client';
import { GraphMentions } from './graph-mentions';
import { GraphEdits } from './graph-edits';

/** The bare client where the graph's SQL takes a transaction's manager: both only run `query`. */
const asManager = (db: SqlClient) => db as unknown as Pick<EntityManager, 'query'>;

/** A document whose one chunk mentions Oslo, Norway and the relation between them. */
async function addDocument(db: SqlClient, kb: KbScope): Promise<string> {
  const documentId = await insertProcessedDocument(db, kb);
  await GraphMentions.replaceDocuments(asManager(db), kb, [
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
