import { parseIdOrSlug } from '@strata/core';
import { type KbOrphans, orphanCount, StorageCheck } from '@strata/ingestion';
import { TenantsService } from '@strata/tenants';
import { badInput, type CommandResult, done } from '../cli-io';
import type { CliSession } from '../cli-session';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One line per KB (its tenant by slug): what its stores hold that no document or edit accounts for. */
function describe(kb: KbOrphans, tenantSlug: string): string {
  const parts = [
    kb.vectorDocuments.length > 0 && `vectors of ${plural(kb.vectorDocuments.length, 'deleted document')}`,
    kb.blobDocuments.length > 0 && plural(kb.blobDocuments.length, 'blob') + ' without a document',
    kb.entities.length > 0 && plural(kb.entities.length, 'entity', 'entities') + ' nothing supports',
    kb.relations.length > 0 && plural(kb.relations.length, 'relation') + ' nothing supports',
  ].filter(Boolean);
  return `  tenant ${tenantSlug} KB ${kb.slug} (${kb.kbId}): ${parts.join(', ')}`;
}

/**
 * `storage check [--tenant T] [--fix]`: lists, KB by KB, the vectors and blobs of documents that
 * are gone and the graph entities and relations nothing supports; `--fix` removes them. Exit 0
 * when the stores are clean (or were cleaned), 1 when orphans were found and left.
 */
export async function storageCheckCommand(
  session: CliSession,
  options: { tenant?: string; fix?: boolean },
): Promise<CommandResult> {
  const tenants = await session.get(TenantsService);
  let tenantId: string | null = null;
  if (options.tenant !== undefined) {
    const ref = parseIdOrSlug(options.tenant);
    const tenant = ref && (await tenants.findTenant(ref));
    if (!tenant) return badInput(`no tenant ${options.tenant}`);
    tenantId = tenant.id;
  }
  const check = await session.get(StorageCheck);
  const found = await check.find(tenantId);
  const total = found.reduce((sum, kb) => sum + orphanCount(kb), 0);
  const where = tenantId === null ? 'every tenant' : `tenant ${options.tenant}`;
  if (total === 0)
    return done(`storage check (${where}): every store matches the database, nothing orphaned`);
  const lines = [];
  for (const kb of found) {
    lines.push(describe(kb, (await tenants.findTenant({ id: kb.tenantId }))?.slug ?? kb.tenantId));
  }
  if (!options.fix) {
    return {
      output: [
        `storage check (${where}): ${plural(total, 'orphan')} in ${plural(found.length, 'KB')}:`,
        ...lines,
        'Run again with --fix to remove them.',
      ].join('\n'),
      exitCode: 1,
    };
  }
  for (const kb of found) await check.remove(kb);
  return done(
    [
      `storage check (${where}): removed ${plural(total, 'orphan')} in ${plural(found.length, 'KB')}:`,
      ...lines,
    ].join('\n'),
  );
}
