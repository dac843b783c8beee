import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@strata/core';
import { closedAtShutdown } from '../closed-at-shutdown';
import { dataSourceSqlClient } from '../vectors/sql-clients';
import { GraphStore } from './graph.port';
import { Neo4jGraphStore } from './neo4j-graph.adapter';
import { PgGraphStore } from './pg-graph.adapter';

/** Neo4j when configured; else the graph tables of the main database (embedded or PostgreSQL). */
export function createGraphStore(config: AppConfig, dataSource: DataSource): GraphStore {
  const graph = config.graph;
  if (graph.kind === 'neo4j') {
    return new Neo4jGraphStore({
      url: graph.neo4jUrl!,
      user: graph.neo4jUser,
      password: graph.neo4jPassword,
      database: graph.neo4jDatabase,
    });
  }
  return new PgGraphStore(
    dataSourceSqlClient(dataSource),
    config.embedded ? 'postgres (embedded database)' : 'postgres',
  );
}

/** Provides the GraphStore port, chosen by configuration. */
@Global()
@Module({
  providers: [
    { provide: GraphStore, inject: [AppConfig, DataSource], useFactory: createGraphStore },
    closedAtShutdown(GraphStore, 'the graph store'),
  ],
  exports: [GraphStore],
})
export class GraphStoreModule {}
