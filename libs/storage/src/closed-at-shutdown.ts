import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { AppConfig, shutdownStep } from '@strata/core';

/** A port whose adapter holds connections, threads or jobs until closed. */
interface Closeable {
  close(): Promise<void>;
}

/**
 * A provider that closes the port `token` when the application shuts down, as a named shutdown
 * step (bounded by SHUTDOWN_TIMEOUT_SECONDS, logged by name when it is not done by then). Ports
 * whose work uses the stores (the job queue, waiting for its running jobs) close `first`: Nest
 * calls every `beforeApplicationShutdown` before the first `onApplicationShutdown`, where the
 * stores and the database close.
 */
export function closedAtShutdown(
  token: abstract new (...args: never[]) => Closeable,
  what: string,
  options: { first?: boolean } = {},
): Type {
  @Injectable()
  class ClosedAtShutdown implements BeforeApplicationShutdown, OnApplicationShutdown {
    constructor(
      @Inject(token) private readonly port: Closeable,
      @Inject(AppConfig) private readonly config: AppConfig,
    ) {}

    async beforeApplicationShutdown(): Promise<void> {
      if (options.first) await this.close();
    }

    async onApplicationShutdown(): Promise<void> {
      if (!options.first) await this.close();
    }

    private close(): Promise<void> {
      return shutdownStep(what, this.config.shutdownTimeoutMs, () => this.port.close());
    }
  }
  Object.defineProperty(ClosedAtShutdown, 'name', { value: `${token.name}Lifecycle` });
  return ClosedAtShutdown;
}
