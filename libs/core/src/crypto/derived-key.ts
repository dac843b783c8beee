import { hkdfSync } from 'node:crypto';

/**
 * A 32-byte key for one purpose, derived from MASTER_KEY with HKDF-SHA256: each use (the audit
 * chain, audit checkpoints) has its own key, and none of them reveals the master key or another.
 */
export function derivedKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `strata/${purpose}`, 32));
}
