import { Global, Logger, Module } from '@nestjs/common';

import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '@strata/core';
import { closedAtShutdown } from '../closed-at-shutdown';
import { PgVectorStore } from './pgvector.adapter';
import { QdrantVectorStore } from './qdrant.adapter';
import type { SqlClient } from './sql-client';
import { vectorExtensionAvailable } from '../relational/database-catalog.repository';
import { dataSourceSqlClient, openEmbeddedSqlClient } from './sql-clients';
import { VectorStore } from './vectors.port';

const logger = new Logger('VectorStore');

/**
 * Picks the vector store: Qdrant when configured; else pgvector in the main database (embedded
 * PGlite, or a server that has the extension); else, with a warning, pgvector in a PGlite of its
 * own under DATA_DIR/vectors, opened on first use (one process only).
 */
export async function createVectorStore(config: AppConfig, dataSource: DataSource): Promise<VectorStore> {
  if (config.vectors.kind === 'qdrant') {
    return new QdrantVectorStore(config.vectors.qdrantUrl!, config.vectors.qdrantApiKey);
  }
  const main = dataSourceSqlClient(dataSource);
  if (config.embedded) return new PgVectorStore(main, 'pgvector (embedded database)');
  if (await vectorExtensionAvailable(main)) return new PgVectorStore(main, 'pgvector (PostgreSQL)');
  const dir = join(config.dataDir, 'vectors');
  logger.warn(
    `The PostgreSQL at DATABASE_URL has no pgvector extension and QDRANT_URL is not set: vectors are ` +
      `kept in an embedded pgvector store in ${dir}, which only one process can open. Install pgvector ` +
      `on the server or set QDRANT_URL to run several api or worker replicas.`,
  );
  return new PgVectorStore(
    lazySqlClient(() => openEmbeddedSqlClient(dir)),
    `pgvector (embedded, ${dir})`,
    // Only the process that opens it prepares it: a `migrate` run must not take its lock.
    { preparedOnFirstUse: true },
  );
}

/** Opens the underlying client on the first query, so a process that never needs vectors never locks them. */
function lazySqlClient(open: () => Promise<SqlClient>): SqlClient {
  let opened: Promise<SqlClient> | null = null;
  const get = () => {
    opened ??= open().catch((error: unknown) => {
      opened = null;
      throw error;
    });
    return opened;
  };
  return {
    query: async (sql, params) => (await get()).query(sql, params),
    close: async () => {
      if (opened) await (await opened).close();
    },
  };
}

/** Provides the VectorStore port, chosen by configuration. */
@Global()
@Module({
  providers: [
    {
      provide: VectorStore,
      inject: [AppConfig, DataSource],
      useFactory: createVectorStore,
    },
    closedAtShutdown(VectorStore, 'the vector store'),
  ],
  exports: [VectorStore],
})
export class VectorsModule {}
