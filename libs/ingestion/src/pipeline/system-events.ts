import type { EntityManager } from 'typeorm';
import type { AuditService } from '@strata/audit';
import type { KbScope } from '@strata/tenancy';

/** Records what a pipeline job did to a document, as the system, in the caller's transaction. */
export function recordDocumentEvent(
  audit: AuditService,
  manager: EntityManager,
  action: 'document.ingest' | 'document.graph',
  scope: KbScope,
  documentId: string,
  outcome: 'success' | 'error',
  details: Record<string, unknown>,
) {
  return audit.record(
    {
      action,
      outcome,
      tenantId: scope.tenantId,
      kbId: scope.kbId,
      resourceType: 'document',
      resourceId: documentId,
      actor: { type: 'system', id: null },
      details,
    },
    manager,
  );
}

/** An unexpected error in words for a document's owner, bounded in length. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 1000);
}
