import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How long the console has to take the tokens of a finished single sign-on. */
export const SSO_HANDOFF_TTL_SECONDS = 60;

/** A finished single sign-on waiting, under a one-time code, for the console to take its tokens. */
@Entity({ name: 'sso_handoffs' })
export class SsoHandoff {
  /** SHA-256 of the code; the code itself is only in the redirect to the console. */
  @PrimaryColumn('char', { name: 'code_hash', length: 64 })
  codeHash!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  /** The tenant the session is bound to; null = none. */
  @Column('uuid', { name: 'tenant_id', nullable: true })
  tenantId!: string | null;

  @Column('uuid', { name: 'provider_id' })
  providerId!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'redeemed_at', nullable: true })
  redeemedAt!: Date | null;
}
