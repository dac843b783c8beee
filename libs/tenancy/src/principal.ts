import type { PermissionFlags, TenantRole } from './roles';

/** How a session started: a password kept in Strata, or single sign-on of either kind. */
export type SignInMethod = 'password' | 'oidc' | 'ldap';

/** An authenticated user. */
export interface UserPrincipal {
  readonly type: 'user';
  readonly id: string;
  readonly email: string;
  readonly platformAdmin: boolean;
  /** The tenant the access token was issued for; null for a token not bound to one tenant. */
  readonly tokenTenantId: string | null;
  /** The session the access token was issued in; null where no token is involved (an invitee). */
  readonly sessionId: string | null;
  /** How the token's session started; null where no session is involved (an invitee). */
  readonly signInMethod: SignInMethod | null;
}

/** An API key: bound to one tenant, with a role, KB scope and flags of its own (like a member). */
export interface ApiKeyPrincipal {
  readonly type: 'api_key';
  readonly id: string;
  readonly platformAdmin: false;
  /** Always the key's tenant: a key never reaches another tenant. */
  readonly tokenTenantId: string;
  readonly role: TenantRole;
  readonly kbIds: readonly string[] | null;
  readonly permissions: PermissionFlags;
}

/** A background job acting for a tenant (ingestion, deletion, purge); never comes from a request. */
export interface SystemPrincipal {
  readonly type: 'system';
  /** The job's name, e.g. `ingestion`. */
  readonly id: string;
  readonly platformAdmin: false;
  readonly tokenTenantId: null;
}

export type Principal = UserPrincipal | ApiKeyPrincipal | SystemPrincipal;

/** `user:<id>`, `api_key:<id>` or `system:<job>`: who did something, where a row keeps it as text. */
export const principalRef = (principal: Principal): string => `${principal.type}:${principal.id}`;
