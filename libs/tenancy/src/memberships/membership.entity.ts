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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
