import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { PermissionFlags, TenantRole } from '@strata/tenancy';

@Entity({ name: 'api_keys' })
export class ApiKey {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text')
  name!: string;

  /** First 8 characters of the secret after `sk_`, shown to tell keys apart. */
  @Column('char', { length: 8 })
  prefix!: string;

  /** SHA-256 (hex) of the whole key; the key itself is never stored. */
  @Column('char', { name: 'key_hash', length: 64 })
  keyHash!: string;

  @Column('text')
  role!: TenantRole;

  @Column('uuid', { name: 'knowledge_base_ids', array: true, nullable: true })
  knowledgeBaseIds!: string[] | null;

  @Column('jsonb')
  permissions!: PermissionFlags;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  /** The key this one replaced when it was rotated. */
  @Column('uuid', { name: 'rotated_from', nullable: true })
  rotatedFrom!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
