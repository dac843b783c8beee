import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PermissionFlags, TenantRole } from '@strata/tenancy';

/** How long an invitation can be accepted. */
export const INVITATION_TTL_DAYS = 7;

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

/** An email invited into a tenant with the grant it will get; see CreateInvitations1765200000000. */
@Entity({ name: 'invitations' })
export class Invitation {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') email!: string;
  @Column('text') role!: TenantRole;
  /** null = every KB of the tenant. */
  @Column('uuid', { name: 'knowledge_base_ids', array: true, nullable: true }) knowledgeBaseIds!:
    string[] | null;
  @Column('jsonb') permissions!: PermissionFlags;
  /** SHA-256 of the token; the token itself is shown once, to the inviter. */
  @Column('char', { name: 'token_hash', length: 64 }) tokenHash!: string;
  /** Who invited: `user:<id>` or `api_key:<id>`. */
  @Column('text', { name: 'invited_by' }) invitedBy!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
  @Column('timestamptz', { name: 'accepted_at', nullable: true }) acceptedAt!: Date | null;
  @Column('uuid', { name: 'accepted_user_id', nullable: true }) acceptedUserId!: string | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}

export function invitationStatus(invitation: Invitation, now = new Date()): InvitationStatus {
  if (invitation.acceptedAt !== null) return 'accepted';
  if (invitation.revokedAt !== null) return 'revoked';
  return invitation.expiresAt.getTime() <= now.getTime() ? 'expired' : 'pending';
}
