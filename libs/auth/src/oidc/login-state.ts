import { openSecret, sealSecret } from '@strata/core';
import type { OidcLoginChecks } from './oidc-relying-party';

/** The cookie that carries a sign-in from the redirect to the provider back to the callback. */
export const LOGIN_STATE_COOKIE = 'strata_sso';
/** How long a person has to sign in at the provider and come back. */
export const LOGIN_STATE_TTL_SECONDS = 600;

// The sealing's associated data: a login state opens as nothing else, nothing else as a login state.
const CONTEXT = 'strata:oidc-login-state:v1';

/** A sign-in in flight: what its callback is checked against, and what it asked for. */
export interface LoginState extends OidcLoginChecks {
  providerId: string;
  /** The tenant (uuid or slug) the session is to be bound to; null = as for a password login. */
  tenantRef: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * Sealed with the master key (AES-256-GCM): the browser holds it but can neither read nor alter
 * it, and only the browser that started a sign-in can finish it (login CSRF finds no cookie).
 */
export function sealLoginState(state: LoginState, key: Buffer): string {
  return sealSecret(JSON.stringify(state), key, CONTEXT);
}

/** The state in `sealed`, or null when it does not open, is malformed or has expired. */
export function openLoginState(sealed: string | undefined, key: Buffer, now = Date.now()): LoginState | null {
  if (sealed === undefined) return null;
  let state: Partial<LoginState>;
  try {
    state = JSON.parse(openSecret(sealed, key, CONTEXT)) as Partial<LoginState>;
  } catch {
    return null;
  }
  const text = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
  const wellFormed =
    text(state.providerId) &&
    text(state.state) &&
    text(state.nonce) &&
    text(state.codeVerifier) &&
    (state.tenantRef === null || text(state.tenantRef)) &&
    typeof state.expiresAt === 'number';
  if (!wellFormed || state.expiresAt! <= now) return null;
  return state as LoginState;
}
