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

/** How often the embedded database's planner statistics are refreshed. */
export const EMBEDDED_ANALYZE_INTERVAL_MS = 120_000;

/**
 * PGlite runs no autovacuum, so nothing would ever collect planner statistics in the embedded
 * mode, and without them PostgreSQL picks index scans that read a whole KB for one key (measured
 * by the graph benchmark: 25 ms instead of 4 ms for a one-hop subgraph of 10,000 entities). This
 * runs ANALYZE at start and every two minutes; PostgreSQL servers leave it to autovacuum.
 */
@Injectable()
export class EmbeddedStatistics implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('EmbeddedStatistics');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.embedded) return;
    this.timer = setInterval(() => void this.analyze(), EMBEDDED_ANALYZE_INTERVAL_MS);
    this.timer.unref();
    void this.analyze();
  }

  /** Before the database closes, which happens in `onApplicationShutdown`. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const running = this.running;
    if (running) {
      await shutdownStep('the embedded ANALYZE', this.config.shutdownTimeoutMs, () => running);
    }
  }

  /** Refreshes the statistics once (skipped while a run is in progress). */
  analyze(): Promise<void> {
    this.running ??= runAsBackgroundWork(() => this.dataSource.query('ANALYZE'))
      .then(() => undefined)
      .catch((error: Error) => this.logger.warn(`ANALYZE failed: ${error.message}`))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
