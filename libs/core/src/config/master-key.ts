import { ConfigError } from './config-error';

const KEY_BYTES = 32;

/** Decodes a 256-bit key given as 64 hex characters or base64 of 32 bytes. */
export function decodeMasterKey(raw: string, variable = 'MASTER_KEY'): Buffer {
  if (/^[0-9a-fA-F]{64}$/.test(raw)) return Buffer.from(raw, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)) {
    const decoded = Buffer.from(raw, 'base64');
    if (decoded.length === KEY_BYTES) return decoded;
  }
  throw new ConfigError(
    variable,
    'must be 32 bytes, given as 64 hex characters or base64 (openssl rand -base64 32)',
  );
}
