import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, shutdownStep } from '@strata/core';
import { runAsBackgroundWork } from './connection-priority';
import { analyseTable, type TableSize, tableSizes } from './database-catalog.repository';

/** How often table sizes are compared with what their statistics saw. */
export const STATISTICS_CHECK_MS = 5_000;
/** A table is analysed again once it has this many times the pages its statistics saw. */
const GROWTH_FACTOR = 2;
/**
 * PostgreSQL's default_statistics_target is 100 (a sample of 30,000 rows); 10 (3,000 rows) is
 * plenty for what the planner needs here (how many rows a tenant and a KB have, how distinct the
 * keys are), and an ANALYZE holds the single connection about as long as its sample takes to
 * read: at 30, analysing the vectors (a page per row) or the graph's mentions still held it 40-80
 * ms during a bulk ingest.
 */
const STATISTICS_TARGET = 10;

/** The tables whose statistics are due: those holding rows that have GROWTH_FACTOR times the pages analysed. */
export const grownTables = (sizes: readonly TableSize[]): TableSize[] =>
  sizes.filter((s) => s.pages > 0 && s.pages >= GROWTH_FACTOR * s.analysedPages);

/** The tables that hold rows and have no statistics at all (never analysed, or analysed empty). */
export const unanalysedTables = (sizes: readonly TableSize[]): TableSize[] =>
  sizes.filter((s) => s.pages > 0 && s.analysedPages === 0);

/**
 * PGlite runs no autovacuum, so nothing would collect planner statistics in the embedded mode.
 * Without them PostgreSQL takes every `tenant_id = … AND kb_id = …` for a handful of rows and
 * reads a whole KB through an index on that prefix where the primary key would find the few keys
 * asked for: a graph merge's read-back took 77 ms instead of 1.4 ms on a KB of 44,000 mentions,
 * and such statements, holding the one connection, made a KB read wait 8x its idle time while
 * the KB ingested.
 *
 * Every few seconds this compares each table's size with the size its statistics were taken at
 * (`pg_class.relpages`) and analyses, one table at a time, those that have doubled since: a few
 * analyses per table over a bulk ingest, each a bounded sample, and statistics never more than
 * 2x behind a growing table.
 *
 * A PostgreSQL server's autovacuum keeps statistics once a table has them, but it first looks at
 * a new table up to a minute (`autovacuum_naptime`) after rows arrive, and a new installation's
 * first upload is planned blind meanwhile: the graph merge's per-key reads went through the
 * document index, a pass over the KB per key, and took 18 s of a 53 s graph build. On a server
 * this analyses only the tables that hold rows and were never analysed; autovacuum does the rest.
 */
@Injectable()
export class PlannerStatistics implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('PlannerStatistics');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<TableSize[]> | null = null;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.refresh(), STATISTICS_CHECK_MS);
    this.timer.unref();
    void this.refresh();
  }

  /** Before the database closes, which happens in `onApplicationShutdown`. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const running = this.running;
    if (running) {
      await shutdownStep('the planner statistics (ANALYZE)', this.config.shutdownTimeoutMs, () => running);
    }
  }

  /**
   * Analyses the tables whose statistics are due (embedded: grown past GROWTH_FACTOR since their
   * statistics, or never analysed; server: never analysed) and answers them. A call while a
   * refresh runs joins it.
   */
  refresh(): Promise<TableSize[]> {
    this.running ??= runAsBackgroundWork(() => this.analyseDueTables())
      .catch((error: Error) => {
        this.logger.warn(`ANALYZE failed: ${error.message}`);
        return [];
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async analyseDueTables(): Promise<TableSize[]> {
    const due = (this.config.embedded ? grownTables : unanalysedTables)(await tableSizes(this.dataSource));
    // One table per transaction: requests get the connection between them.
    for (const { table } of due) {
      await this.dataSource.transaction((manager) => analyseTable(manager, table, STATISTICS_TARGET));
    }
    return due;
  }
}
