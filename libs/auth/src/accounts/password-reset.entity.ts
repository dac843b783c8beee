import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How long a password reset can be used after a platform admin issues it. */
export const PASSWORD_RESET_TTL_HOURS = 24;

/**
 * A one-time password reset for an account, issued by a platform admin (or the operator's CLI):
 * the token is shown once to whoever issued it and only its SHA-256 is kept. Usable while unused,
 * unrevoked and unexpired; issuing another revokes the account's earlier ones.
 */
@Entity({ name: 'password_resets' })
export class PasswordReset {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('char', { name: 'token_hash', length: 64 }) tokenHash!: string;
  /** `user:<id>` or `system:cli`. */
  @Column('text', { name: 'issued_by' }) issuedBy!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
  @Column('timestamptz', { name: 'used_at', nullable: true }) usedAt!: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}
