import { EmbeddedExtractor, entityKey } from '@strata/graph';

type Query = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

/**
 * How far a KB's graph is from what its documents should have made of it, as counts that are all
 * zero when it is right: documents processed whose graph is not done, documents whose entity
 * mentions differ from a fresh embedded extraction of their chunks (lost or doubled work), and
 * merged entities and relations without mentions or mentions without them.
 */
export async function graphDrift(query: Query, tenantId: string, kbId: string) {
  const count = async (sql: string) => Number((await query(sql, [tenantId, kbId]))[0].n);
  const extractor = new EmbeddedExtractor();
  const chunks = (await query(
    `SELECT c.id, c.document_id, c.content FROM chunks c
     JOIN documents d ON d.id = c.document_id AND d.tenant_id = c.tenant_id
     WHERE c.tenant_id = $1 AND c.kb_id = $2 AND d.status = 'processed'`,
    [tenantId, kbId],
  )) as Array<{ id: string; document_id: string; content: string }>;
  const expected = new Map<string, number>();
  for (const chunk of chunks) {
    const { entities } = await extractor.extract(chunk.content);
    const keys = new Set(entities.map((e) => entityKey(e.name)));
    expected.set(chunk.document_id, (expected.get(chunk.document_id) ?? 0) + keys.size);
  }
  const actual = new Map(
    (
      (await query(
        `SELECT document_id, count(*)::int AS n FROM graph_entity_mentions
         WHERE tenant_id = $1 AND kb_id = $2 GROUP BY document_id`,
        [tenantId, kbId],
      )) as Array<{ document_id: string; n: number }>
    ).map((r) => [r.document_id, Number(r.n)]),
  );
  return {
    graphNotDone: await count(
      `SELECT count(*) AS n FROM documents WHERE tenant_id = $1 AND kb_id = $2
         AND status = 'processed' AND graph_status <> 'done'`,
    ),
    documentsWithOtherMentions: [...expected].filter(([id, n]) => actual.get(id) !== n).length,
    entitiesWithoutMentions: await count(
      `SELECT count(*) AS n FROM graph_entities e WHERE e.tenant_id = $1 AND e.kb_id = $2
         AND NOT EXISTS (SELECT 1 FROM graph_entity_mentions m
                         WHERE m.tenant_id = $1 AND m.kb_id = $2 AND m.entity_key = e.key)`,
    ),
    mentionedEntitiesMissing: await count(
      `SELECT count(DISTINCT m.entity_key) AS n FROM graph_entity_mentions m WHERE m.tenant_id = $1 AND m.kb_id = $2
         AND NOT EXISTS (SELECT 1 FROM graph_entities e
                         WHERE e.tenant_id = $1 AND e.kb_id = $2 AND e.key = m.entity_key)`,
    ),
    relationsWithoutMentions: await count(
      `SELECT count(*) AS n FROM graph_relations r WHERE r.tenant_id = $1 AND r.kb_id = $2
         AND NOT EXISTS (SELECT 1 FROM graph_relation_mentions m WHERE m.tenant_id = $1 AND m.kb_id = $2
                         AND m.source_key = r.source_key AND m.target_key = r.target_key)`,
    ),
  };
}

/** What graphDrift answers for a graph that is right. */
export const NO_GRAPH_DRIFT = {
  graphNotDone: 0,
  documentsWithOtherMentions: 0,
  entitiesWithoutMentions: 0,
  mentionedEntitiesMissing: 0,
  relationsWithoutMentions: 0,
};
