import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '@strata/core';
import { MIGRATIONS } from '@strata/migrations';
import type { EmbeddedEndpoint } from './embedded-postgres';

/** TypeORM options for either mode; the schema only ever changes through migrations. */
export function dataSourceOptions(
  database: DatabaseConfig,
  embedded: EmbeddedEndpoint | null,
): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    // Failed queries surface as errors to the caller's handler; logging them here would put
    // parameters (which may hold document text or secrets) into the logs.
    logging: false,
  };
  if (database.kind === 'postgres') {
    return { ...common, url: database.url, extra: { max: database.poolSize } };
  }
  if (embedded === null) throw new Error('embedded database endpoint missing');
  return {
    ...common,
    host: embedded.host,
    port: embedded.port,
    username: 'postgres',
    database: 'postgres',
    // PGlite serves one session; a larger pool would interleave transactions.
    extra: { max: 1 },
  };
}
