import { createHash } from 'node:crypto';
import type { AuditEvent } from './audit-event.entity';

export const PLATFORM_CHAIN = 'platform';

/** JSON with object keys sorted at every depth, so jsonb's own key order cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The hash of an event: SHA-256 over the previous hash and every recorded field. */
export function auditHash(event: Omit<AuditEvent, 'hash'>): string {
  const body = canonicalJson({
    id: event.id,
    chain: event.chain,
    seq: String(event.seq),
    at: event.at.toISOString(),
    tenant_id: event.tenantId,
    kb_id: event.kbId,
    actor_type: event.actorType,
    actor_id: event.actorId,
    action: event.action,
    resource_type: event.resourceType,
    resource_id: event.resourceId,
    outcome: event.outcome,
    request_id: event.requestId,
    ip: event.ip,
    user_agent: event.userAgent,
    details: event.details,
  });
  return createHash('sha256')
    .update(event.prevHash ?? '')
    .update('\n')
    .update(body)
    .digest('hex');
}
