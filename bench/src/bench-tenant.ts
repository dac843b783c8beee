import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type BenchServer, startServer, stopServer } from './server';

/** The platform admin benchmarks start their servers with. */
export const BENCH_ADMIN = { email: 'bench@strata.local', password: 'bench-admin-password' };

export interface BenchTenant {
  tenantId: string;
  /** A tenant admin's client. */
  admin: Client;
  /** The tenant admin's credentials. */
  member: { email: string; password: string };
  createKnowledgeBase(config?: Record<string, unknown>): Promise<string>;
}

/**
 * Runs `work` against a fresh embedded server (a new data directory, BENCH_ADMIN as its platform
 * admin, `env` on top), then stops the server and removes the directory.
 */
export async function withEmbeddedServer<T>(
  apiMain: string,
  name: string,
  work: (server: BenchServer) => Promise<T>,
  env: Record<string, string> = {},
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), `strata-bench-${name}-`));
  const server = await startServer(apiMain, {
    DATA_DIR: dataDir,
    ADMIN_EMAIL: BENCH_ADMIN.email,
    ADMIN_PASSWORD: BENCH_ADMIN.password,
    ...env,
  });
  try {
    return await work(server);
  } finally {
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * A fresh tenant with a tenant admin, on a server started with BENCH_ADMIN; `quotas` replace the
 * tenant's defaults (e.g. a higher queries_per_minute for a benchmark that asks without pause).
 */
export async function benchTenant(
  server: BenchServer,
  quotas?: Record<string, number>,
): Promise<BenchTenant> {
  const platform = await Client.signedIn(server.base, BENCH_ADMIN);
  const slug = `bench-${randomBytes(3).toString('hex')}`;
  const tenant = await platform.call<{ id: string }>('POST', '/api/v1/tenants', { slug, name: 'Bench' });
  if (quotas) await platform.call('PATCH', `/api/v1/tenants/${tenant.id}`, { quotas });
  const member = { email: `${slug}@strata.local`, password: 'bench-member-password' };
  await platform.call('POST', `/api/v1/tenants/${tenant.id}/members`, { ...member, role: 'admin' });
  const admin = await Client.signedIn(server.base, { ...member, tenant_id: tenant.id });
  return {
    tenantId: tenant.id,
    admin,
    member,
    createKnowledgeBase: async (config) =>
      (
        await admin.call<{ id: string }>('POST', `/api/v1/tenants/${tenant.id}/knowledge-bases`, {
          name: `Corpus ${randomBytes(2).toString('hex')}`,
          ...(config ? { config } : {}),
        })
      ).id,
  };
}

/** Waits until no document of the KB is pending or processing: every document is searchable (or failed). */
export async function waitUntilSearchable(
  admin: Client,
  documentsPath: string,
  onPoll?: () => void,
): Promise<void> {
  await waitUntilNone(admin, documentsPath, ['status=pending', 'status=processing'], onPoll);
}

/** Waits until every document is searchable (or failed) and the KB's graph has caught up with them. */
export async function waitUntilIngested(
  admin: Client,
  documentsPath: string,
  onPoll?: () => void,
): Promise<void> {
  await waitUntilNone(
    admin,
    documentsPath,
    [
      'status=pending',
      'status=processing',
      'status=processed&graph_status=pending',
      'status=processed&graph_status=building',
    ],
    onPoll,
  );
}

async function waitUntilNone(
  admin: Client,
  documentsPath: string,
  filters: string[],
  onPoll?: () => void,
): Promise<void> {
  for (;;) {
    let waiting = false;
    for (const filter of filters) {
      const page = await admin.call<{ items: unknown[] }>('GET', `${documentsPath}?${filter}&limit=1`);
      if (page.items.length > 0) {
        waiting = true;
        break;
      }
    }
    if (!waiting) return;
    onPoll?.();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
