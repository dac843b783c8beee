import { appendFileSync, readFileSync } from 'node:fs';
import { type AuditCheckpoint, AuditVerifier, parseCheckpoints, PLATFORM_CHAIN } from '@strata/audit';
import { isUuid, parseIdOrSlug } from '@strata/core';
import { TenantsService } from '@strata/tenants';
import { badInput, type CommandResult, done } from '../cli-io';
import type { CliSession } from '../cli-session';

/**
 * `audit verify --tenant T [--checkpoint FILE]`: recomputes the tenant's hash chain (T = uuid,
 * slug, or `platform`) and reports the first broken link; with a checkpoint file (`audit
 * checkpoint` wrote it), also a tail cut off since. A deleted tenant's chain is verified by its uuid.
 */
export async function auditVerifyCommand(
  session: CliSession,
  tenant: string | undefined,
  options: { checkpoint?: string; acceptUnkeyed?: boolean } = {},
): Promise<CommandResult> {
  if (tenant === undefined) return badInput('audit verify needs --tenant <uuid|slug|platform>');
  const chain = await chainOf(session, tenant);
  if (chain === null) return badInput(`no tenant ${tenant}`);
  let checkpoint: AuditCheckpoint | null = null;
  if (options.checkpoint !== undefined) {
    const read = readCheckpoint(options.checkpoint, chain);
    if (typeof read === 'string') return badInput(read);
    checkpoint = read;
  }
  const report = await (await session.get(AuditVerifier)).verify(chain, checkpoint);
  const unkeyed =
    report.unkeyed > 0
      ? ` (${report.unkeyed} of them from before the chain was keyed: their order holds, not who wrote them)`
      : '';
  if (report.ok && report.unkeyed > 0 && !options.acceptUnkeyed) {
    // A chain rewritten whole without the key can only be unkeyed: never intact by default.
    return {
      output:
        `audit chain ${chain}: NOT VERIFIED: its first ${report.unkeyed} of ${report.checked} events carry unkeyed hashes, ` +
        'which anyone who can write the database can recompute. Events written before this deployment ran a version ' +
        'with keyed chains (2026-12-02) are such; if it did, pass --accept-unkeyed (and a --checkpoint taken since, to cover them)',
      exitCode: 1,
    };
  }
  if (report.ok) {
    const against = checkpoint
      ? `, and holds the checkpoint of ${checkpoint.at} (seq ${checkpoint.seq})`
      : '';
    return done(`audit chain ${chain}: ${report.checked} events, intact${against}${unkeyed}`);
  }
  const broken = report.firstBroken!;
  const event = broken.id ? ` (event ${broken.id})` : '';
  return {
    output: `audit chain ${chain}: BROKEN at seq ${broken.seq}${event}: ${broken.reason}; ${report.checked} events before it hold`,
    exitCode: 1,
  };
}

/**
 * `audit checkpoint --out FILE [--tenant T]`: appends a signed checkpoint of each chain (or of
 * one) to FILE, one JSON line each, to keep where the database's users cannot write.
 */
export async function auditCheckpointCommand(
  session: CliSession,
  out: string,
  tenant: string | undefined,
): Promise<CommandResult> {
  const chain = tenant === undefined ? null : await chainOf(session, tenant);
  if (tenant !== undefined && chain === null) return badInput(`no tenant ${tenant}`);
  const checkpoints = await (await session.get(AuditVerifier)).checkpoints(chain);
  try {
    appendFileSync(out, checkpoints.map((c) => `${JSON.stringify(c)}\n`).join(''));
  } catch (error) {
    return badInput(
      `cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return done(`${checkpoints.length} audit chain checkpoint(s) appended to ${out}`);
}

function readCheckpoint(file: string, chain: string): AuditCheckpoint | string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
  try {
    return parseCheckpoints(text).get(chain) ?? `${file} holds no checkpoint of chain ${chain}`;
  } catch (error) {
    return `${file}: ${(error as Error).message}`;
  }
}

async function chainOf(session: CliSession, tenant: string): Promise<string | null> {
  if (tenant === PLATFORM_CHAIN || isUuid(tenant)) return tenant.toLowerCase();
  if (parseIdOrSlug(tenant) === null) return null;
  const found = await (await session.get(TenantsService)).findTenant({ slug: tenant });
  return found?.id ?? null;
}
