import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AppConfig, shutdownStep } from '@strata/core';
import { AccessChangeFeed } from '@strata/tenancy';
import { closedAtShutdown } from '../closed-at-shutdown';
import { ListeningAccessChangeFeed, SharedSessionAccessChangeFeed } from './access-change-feed.adapter';
import { EMBEDDED_REQUEST_FOLLOW_UP_MS, prioritiseRequests } from './connection-priority';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';
import { PlannerStatistics } from './planner-statistics';
import { migrateSchema } from './schema-migrator';

const EMBEDDED_POSTGRES = Symbol('EMBEDDED_POSTGRES');

/** Closes the embedded database after TypeORM has released its connection. */
@Injectable()
class EmbeddedPostgresLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(EMBEDDED_POSTGRES) private readonly embedded: EmbeddedPostgres | null,
    private readonly dataSource: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    const limitMs = this.config.shutdownTimeoutMs;
    if (this.dataSource.isInitialized) {
      await shutdownStep('the database connections', limitMs, () => this.dataSource.destroy());
    }
    const embedded = this.embedded;
    if (embedded) {
      await shutdownStep(
        'the embedded database',
        limitMs,
        () => embedded.stop(),
        () => embedded.terminate(),
      );
    }
  }
}

@Module({
  providers: [
    {
      provide: EMBEDDED_POSTGRES,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<EmbeddedPostgres | null> => {
        if (config.database.kind !== 'embedded') return null;
        const dir = config.database.dataDir === null ? null : join(config.database.dataDir, 'pg');
        return EmbeddedPostgres.start(dir, { statementStatsFile: config.embeddedStatementStatsFile });
      },
    },
  ],
  exports: [EMBEDDED_POSTGRES],
})
class EmbeddedPostgresModule {}

/**
 * The relational store: TypeORM over PostgreSQL or embedded PGlite. Pending migrations run before
 * the application starts serving. Requests get free connections before jobs (connection-priority).
 * It also hears the database's access-change notifications for the replica's AccessCache.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedPostgresModule],
      inject: [AppConfig, EMBEDDED_POSTGRES],
      useFactory: (config: AppConfig, embedded: EmbeddedPostgres | null) => ({
        ...dataSourceOptions(config.database, embedded?.endpoint ?? null),
        autoLoadEntities: true,
        // Connection retries hide misconfiguration at start; fail fast with the driver's reason.
        retryAttempts: 0,
      }),
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        const onServer = (options as { url?: string }).url !== undefined;
        prioritiseRequests(
          (dataSource.driver as PostgresDriver).master as Pool,
          onServer ? 0 : EMBEDDED_REQUEST_FOLLOW_UP_MS,
        );
        try {
          await migrateSchema(dataSource, onServer);
        } catch (error) {
          await dataSource.destroy().catch(() => undefined);
          throw error;
        }
        return dataSource;
      },
    }),
    EmbeddedPostgresModule,
  ],
  providers: [
    EmbeddedPostgresLifecycle,
    PlannerStatistics,
    {
      provide: AccessChangeFeed,
      inject: [AppConfig, DataSource],
      useFactory: (config: AppConfig, dataSource: DataSource): AccessChangeFeed =>
        config.database.kind === 'postgres'
          ? new ListeningAccessChangeFeed(config.database.url)
          : new SharedSessionAccessChangeFeed((dataSource.driver as PostgresDriver).master as Pool),
    },
    closedAtShutdown(AccessChangeFeed, 'the access change feed'),
  ],
  exports: [PlannerStatistics, AccessChangeFeed],
})
export class DatabaseModule {}
