import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { MembershipRule } from './membership-rules';

/** An OpenID Connect provider people sign in through, as a platform admin configured it. */
@Entity({ name: 'identity_providers' })
export class IdentityProvider {
  @PrimaryColumn('uuid')
  id!: string;

  /** In the sign-in URL: /auth/oidc/{slug}/login. */
  @Column('text')
  slug!: string;

  /** On the console's "Sign in with …" button. */
  @Column('text', { name: 'display_name' })
  displayName!: string;

  @Column('text')
  issuer!: string;

  @Column('text', { name: 'client_id' })
  clientId!: string;

  /** Sealed with the master key, bound to this provider's id. */
  @Column('text', { name: 'client_secret_sealed' })
  clientSecretSealed!: string;

  @Column('text', { array: true })
  scopes!: string[];

  /** The ID token claim whose values the rules match (a dotted path reaches into objects). */
  @Column('text', { name: 'groups_claim' })
  groupsClaim!: string;

  /**
   * Whether a first sign-in may take over an existing account with the same email, when the
   * provider says the email is verified. Off, such a sign-in is refused.
   */
  @Column('boolean', { name: 'link_verified_email' })
  linkVerifiedEmail!: boolean;

  @Column('jsonb')
  mappings!: MembershipRule[];

  @Column('boolean')
  enabled!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
