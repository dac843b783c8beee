import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '@strata/core';
import { MIGRATIONS } from '@strata/migrations';
import type { EmbeddedEndpoint } from './embedded-postgres';

/** TypeORM options for either mode; the schema only ever changes through migrations. */
export function dataSourceOptions(database: DatabaseConfig, embedded: EmbeddedEndpoint | null): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: ['error' as const],
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
