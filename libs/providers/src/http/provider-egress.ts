import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@strata/core';
import { EgressGuard } from './egress-guard';
import type { ResolvedEndpoint } from './endpoint-layers';

/** The process's one egress guard (and its connection pool) for the endpoints tenants choose. */
@Injectable()
export class ProviderEgress implements OnApplicationShutdown {
  private readonly guard: EgressGuard;

  constructor(config: AppConfig) {
    this.guard = new EgressGuard(config.providerEgress);
  }

  /** The guard a call to this endpoint goes through: none for the operator's own base URL. */
  for(endpoint: ResolvedEndpoint): EgressGuard | null {
    return endpoint.fromEnvironment ? null : this.guard;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.guard.destroy();
  }
}
