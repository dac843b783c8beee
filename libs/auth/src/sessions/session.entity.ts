import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SignInMethod } from '@strata/tenancy';

/** Why a session ended, as `sessions.revoked_reason` and the audit trail say it. */
export type SessionEndReason =
  | 'logout'
  | 'revoked'
  | 'signed_out_everywhere'
  | 'password_changed'
  | 'password_reset'
  | 'account_disabled'
  | 'refresh_token_reused';

/**
 * One sign-in: its access tokens carry its id (`sid`) and its refresh tokens are one rotation
 * family. Revoking it stops both at the next request. Last use moves at sign-in and at each
 * refresh, so it is exact to within one access token's life.
 */
@Entity({ name: 'sessions' })
export class Session {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  /** The tenant the session is bound to, if any. */
  @Column('uuid', { name: 'tenant_id', nullable: true })
  tenantId!: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'last_used_at' })
  lastUsedAt!: Date;

  /** When its latest refresh token expires: the session cannot be renewed after. */
  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('text', { nullable: true })
  ip!: string | null;

  @Column('text', { name: 'user_agent', nullable: true })
  userAgent!: string | null;

  @Column('text', { name: 'sign_in_method' })
  signInMethod!: SignInMethod;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('text', { name: 'revoked_reason', nullable: true })
  revokedReason!: SessionEndReason | null;
}
