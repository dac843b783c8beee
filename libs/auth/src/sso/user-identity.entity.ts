import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who a provider's subject is in Strata: one account per (provider, subject). */
@Entity({ name: 'user_identities' })
export class UserIdentity {
  @PrimaryColumn('uuid', { name: 'provider_id' })
  providerId!: string;

  /** The provider's `sub`: stable and never reassigned, unlike an email. */
  @PrimaryColumn('text')
  subject!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  /** The email the provider gave at the last sign-in. */
  @Column('text', { nullable: true })
  email!: string | null;

  /** The values of the provider's groups claim at the last sign-in. */
  @Column('text', { name: 'claim_values', array: true })
  claimValues!: string[];

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'last_login_at' })
  lastLoginAt!: Date;
}
