import { Client } from 'pg';
import { TEST_DATABASE_URL } from './test-database';

/**
 * Runs before the unit project: says, once, which vector and graph store contract suites cannot run here and
 * why (workers inherit the variables). Qdrant runs only with QDRANT_URL; pgvector on the server
 * only where the server has the extension installed.
 */
export async function checkVectorStoresForTests(): Promise<void> {
  const reason = await pgvectorUnavailableReason();
  if (reason !== null) {
    process.env.STRATA_PGVECTOR_UNAVAILABLE = reason;
    process.stdout.write(`\nSKIPPING the pgvector-on-server contract suite: ${reason}\n`);
  }
  if (!process.env.QDRANT_URL) {
    process.stdout.write('\nSKIPPING the Qdrant contract suite: QDRANT_URL is not set\n');
  }
  if (!process.env.NEO4J_URL) {
    process.stdout.write('\nSKIPPING the Neo4j contract suite: NEO4J_URL is not set\n');
  }
}

async function pgvectorUnavailableReason(): Promise<string | null> {
  const client = new Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`);
    return rows.length > 0
      ? null
      : `the PostgreSQL server at ${TEST_DATABASE_URL} has no pgvector extension installed`;
  } catch (error) {
    return `PostgreSQL at ${TEST_DATABASE_URL} is unreachable: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}
