import { randomToken, sha256Hex } from '@strata/core';

export const API_KEY_PREFIX = 'sk_';
const KEY_PATTERN = /^sk_[A-Za-z0-9_-]{43}$/;

/** A new key: `sk_` + 256 random bits (base64url), its display prefix and its hash. */
export function newApiKeySecret(): { key: string; prefix: string; hash: string } {
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  return { key, prefix: displayPrefix(key), hash: sha256Hex(key) };
}

export const looksLikeApiKey = (value: string): boolean => KEY_PATTERN.test(value);

export const displayPrefix = (key: string): string =>
  key.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + 8);
