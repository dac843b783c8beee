import { graphStoreContract } from './graph.contract';
import { Neo4jGraphStore } from './neo4j-graph.adapter';

const url = process.env.NEO4J_URL;

// Each test works in KBs of fresh random tenants, so runs never see each other's graphs.
graphStoreContract(
  `neo4j (${url ?? 'NEO4J_URL not set'})`,
  async () =>
    new Neo4jGraphStore({
      url: url!,
      user: process.env.NEO4J_USER ?? 'neo4j',
      password: process.env.NEO4J_PASSWORD ?? null,
      database: process.env.NEO4J_DATABASE ?? null,
    }),
  { skipReason: url ? undefined : 'NEO4J_URL is not set' },
);
