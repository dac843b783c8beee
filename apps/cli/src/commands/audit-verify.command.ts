import { DataSource } from 'typeorm';
import { AuditVerifier, PLATFORM_CHAIN } from '@strata/audit';
import { isUuid, parseIdOrSlug } from '@strata/core';
import type { CommandResult } from '../cli-io';
import type { CliSession } from '../cli-session';

/**
 * `audit verify --tenant T`: recomputes the tenant's hash chain (T = uuid, slug, or `platform`)
 * and reports the first broken link. A deleted tenant's chain is verified by its uuid.
 */
export async function auditVerifyCommand(
  session: CliSession,
  tenant: string | undefined,
): Promise<CommandResult> {
  if (tenant === undefined)
    return { output: 'audit verify needs --tenant <uuid|slug|platform>', exitCode: 2 };
  const chain =
    tenant === PLATFORM_CHAIN || isUuid(tenant)
      ? tenant.toLowerCase()
      : await tenantIdBySlug(session, tenant);
  if (chain === null) return { output: `no tenant ${tenant}`, exitCode: 2 };
  const report = await (await session.get(AuditVerifier)).verify(chain);
  if (report.ok) return { output: `audit chain ${chain}: ${report.checked} events, intact`, exitCode: 0 };
  const broken = report.firstBroken!;
  return {
    output: `audit chain ${chain}: BROKEN at seq ${broken.seq} (event ${broken.id}): ${broken.reason}; ${report.checked} events before it hold`,
    exitCode: 1,
  };
}

async function tenantIdBySlug(session: CliSession, slug: string): Promise<string | null> {
  if (parseIdOrSlug(slug) === null) return null;
  const rows: Array<{ id: string }> = await (
    await session.get(DataSource)
  ).query('SELECT id FROM tenants WHERE slug = $1', [slug]);
  return rows[0]?.id ?? null;
}
