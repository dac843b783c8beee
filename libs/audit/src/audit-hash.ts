import { createHash, createHmac } from 'node:crypto';
import { derivedKey } from '@strata/core';
import type { AuditEvent } from './audit-event.entity';

export const PLATFORM_CHAIN = 'platform';

/**
 * How an event's hash is made: `unkeyed`, SHA-256 (events written before 2026-12-02), anyone can
 * recompute it; `keyed`, HMAC-SHA256 with a key derived from MASTER_KEY, which the database does
 * not hold, so whoever can only write the database cannot make a link that verifies.
 */
export const AUDIT_HASH_VERSION = { unkeyed: 1, keyed: 2 } as const;

/** The key of the audit chain's HMAC. */
export const auditChainKey = (masterKey: Buffer): Buffer => derivedKey(masterKey, 'audit-chain');

/** JSON with object keys sorted at every depth, so jsonb's own key order cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The hash of an event over the previous hash and every recorded field: HMAC-SHA256 with the
 * chain key for a keyed event, plain SHA-256 for an event of the unkeyed version.
 */
export function auditHash(event: Omit<AuditEvent, 'hash'>, chainKey: Buffer): string {
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
  const digest =
    event.hashVersion === AUDIT_HASH_VERSION.keyed ? createHmac('sha256', chainKey) : createHash('sha256');
  return digest
    .update(event.prevHash ?? '')
    .update('\n')
    .update(body)
    .digest('hex');
}
