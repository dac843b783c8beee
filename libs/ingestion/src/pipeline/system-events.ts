import type { EntityManager } from 'typeorm';
import type { AuditService } from '@strata/audit';
import type { KbScope } from '@strata/tenancy';

/** What happened to one document in a job, for its audit event. */
export interface DocumentEvent {
  documentId: string;
  outcome: 'success' | 'error';
  details: Record<string, unknown>;
}

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
  return recordDocumentEvents(audit, manager, action, scope, [{ documentId, outcome, details }]);
}

/** Records what a pipeline job did to each of several documents, with one insert per chain. */
export function recordDocumentEvents(
  audit: AuditService,
  manager: EntityManager,
  action: 'document.ingest' | 'document.graph',
  scope: KbScope,
  events: readonly DocumentEvent[],
) {
  return audit.recordMany(
    events.map(({ documentId, outcome, details }) => ({
      action,
      outcome,
      tenantId: scope.tenantId,
      kbId: scope.kbId,
      resourceType: 'document',
      resourceId: documentId,
      actor: { type: 'system' as const, id: null },
      details,
    })),
    manager,
  );
}

/** An unexpected error in words for a document's owner, bounded in length. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 1000);
}
