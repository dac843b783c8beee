import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { PermissionFlags, TenantRole } from '../roles';

/** A user's role in one tenant. */
@Entity({ name: 'memberships' })
export class Membership {
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text')
  role!: TenantRole;

  /** null = every KB of the tenant. */
  @Column('uuid', { name: 'knowledge_base_ids', array: true, nullable: true })
  knowledgeBaseIds!: string[] | null;

  @Column('jsonb')
  permissions!: PermissionFlags;

  /**
   * The identity provider whose rules made this membership; it follows them at each of the
   * person's sign-ins through it. null = granted in Strata (members API, invitation, CLI).
   */
  @Column('uuid', { name: 'granted_by_provider', nullable: true })
  grantedByProvider!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
