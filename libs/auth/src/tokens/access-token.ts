import type { PermissionFlags, TenantRole } from '@strata/tenancy';

export const JWT_ISSUER = 'strata';
export const JWT_AUDIENCE = 'strata-api';
export const JWT_ALGORITHM = 'HS256';

/** The access token payload, as the ADR lays it out (plus platform_admin). */
export interface AccessTokenPayload {
  sub: string;
  /** The session it was issued in: revoking the session refuses the token at its next use. */
  sid: string;
  tenant_id: string | null;
  knowledge_base_ids: string[] | null;
  role: TenantRole | null;
  permissions: PermissionFlags | null;
  platform_admin?: true;
  exp?: number;
  iat?: number;
}
