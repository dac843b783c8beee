/** Who is calling: an authenticated user (API keys join in a later issue). */
export interface UserPrincipal {
  readonly type: 'user';
  readonly id: string;
  readonly email: string;
  readonly platformAdmin: boolean;
  /** The tenant the access token was issued for; null for a token not bound to one tenant. */
  readonly tokenTenantId: string | null;
}

export type Principal = UserPrincipal;
