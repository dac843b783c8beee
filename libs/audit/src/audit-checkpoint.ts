import { createHmac, timingSafeEqual } from 'node:crypto';
import { derivedKey } from '@strata/core';
import { canonicalJson } from './audit-hash';

/**
 * A signed statement that a chain had `seq` events ending in `head` at `at`. Kept outside the
 * database (a file an operator ships elsewhere), it makes a cut-off tail or a rewritten past
 * visible: the chain must still hold that event with that hash.
 */
export interface AuditCheckpoint {
  chain: string;
  seq: string;
  head: string;
  at: string;
  /** HMAC-SHA256 of the other fields, with a key derived from MASTER_KEY. */
  mac: string;
}

type Unsigned = Omit<AuditCheckpoint, 'mac'>;

export const auditCheckpointKey = (masterKey: Buffer): Buffer => derivedKey(masterKey, 'audit-checkpoint');

const macOf = (fields: Unsigned, key: Buffer): string =>
  createHmac('sha256', key)
    .update(canonicalJson({ chain: fields.chain, seq: fields.seq, head: fields.head, at: fields.at }))
    .digest('hex');

export function signCheckpoint(fields: Unsigned, key: Buffer): AuditCheckpoint {
  return { ...fields, mac: macOf(fields, key) };
}

/** Whether this deployment's key signed the checkpoint, as it stands. */
export function checkpointSignatureHolds(checkpoint: AuditCheckpoint, key: Buffer): boolean {
  const expected = Buffer.from(macOf(checkpoint, key), 'hex');
  const given = Buffer.from(String(checkpoint.mac), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Reads a checkpoint file (one JSON checkpoint per line) and answers each chain's latest line;
 * throws naming the first line that is not a checkpoint.
 */
export function parseCheckpoints(text: string): Map<string, AuditCheckpoint> {
  const latest = new Map<string, AuditCheckpoint>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: Partial<AuditCheckpoint>;
    try {
      value = JSON.parse(line) as Partial<AuditCheckpoint>;
    } catch {
      throw new Error(`line ${i + 1} is not JSON`);
    }
    const fields = ['chain', 'seq', 'head', 'at', 'mac'] as const;
    if (fields.some((field) => typeof value?.[field] !== 'string') || !/^\d+$/.test(value.seq!)) {
      throw new Error(`line ${i + 1} is not an audit checkpoint`);
    }
    const checkpoint = value as AuditCheckpoint;
    const known = latest.get(checkpoint.chain);
    if (!known || BigInt(checkpoint.seq) > BigInt(known.seq)) latest.set(checkpoint.chain, checkpoint);
  });
  return latest;
}
