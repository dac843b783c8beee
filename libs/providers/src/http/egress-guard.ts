import { promises as dns, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent } from 'undici';
import type { EgressPolicy } from '@strata/core';

/** A connection the egress policy refused; it names the host, never what the host resolved to. */
export class EgressRefused extends Error {
  constructor(readonly host: string) {
    super(`${host} resolves to no address the egress policy allows`);
    this.name = 'EgressRefused';
  }
}

/**
 * Connections to providers a tenant chose, held to the deployment's egress policy: a URL naming an
 * address is checked before the request, a host name on each address it resolves to at the moment
 * of connecting (so the address checked is the address used), and redirects are not followed.
 */
export class EgressGuard {
  /** The connection pool for tenant-chosen providers; its lookup drops the addresses refused. */
  readonly dispatcher: Agent;

  constructor(
    readonly policy: EgressPolicy,
    /** Every address a host name has; tests give names addresses of their own. */
    private readonly resolve: (hostname: string) => Promise<LookupAddress[]> = (hostname) =>
      dns.lookup(hostname, { all: true }),
  ) {
    this.dispatcher = new Agent({ connect: { lookup: this.lookup } });
  }

  /** Why a URL is refused before any lookup, or null. */
  refusalOf(url: string): string | null {
    return this.policy.refusalOf(url);
  }

  /** Drops the pool's connections (at shutdown nothing should be in flight). */
  destroy(): Promise<void> {
    return this.dispatcher.destroy();
  }

  private readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname).then(
      (addresses) => {
        const allowed = addresses.filter(({ address }) => this.policy.allowsAddress(hostname, address));
        if (allowed.length === 0) return callback(new EgressRefused(hostname), '', 0);
        if (options.all) {
          (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, allowed);
        } else {
          callback(null, allowed[0].address, allowed[0].family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
