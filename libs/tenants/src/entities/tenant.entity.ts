import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { TenantStatus } from '@strata/tenancy';
import type { TenantQuotas } from '@strata/tenancy';

@Entity({ name: 'tenants' })
export class Tenant {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  slug!: string;

  @Column('text')
  name!: string;

  @Column('text')
  status!: TenantStatus;

  /** Only the quotas that were set explicitly; see withDefaultQuotas. */
  @Column('jsonb')
  quotas!: Partial<TenantQuotas>;

  /** Members reach it only in sessions started by single sign-on (platform admins excepted). */
  @Column('boolean', { name: 'sso_required', default: false })
  ssoRequired!: boolean;

  /** Provider settings (sealed secrets) and switches; read through TenantConfigService. */
  @Column('jsonb')
  config!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
