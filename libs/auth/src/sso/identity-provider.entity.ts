import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { LdapSettings } from '../ldap/ldap-directory';
import type { MembershipRule } from './membership-rules';

export const IDENTITY_PROVIDER_KINDS = ['oidc', 'ldap'] as const;
export type IdentityProviderKind = (typeof IDENTITY_PROVIDER_KINDS)[number];

/** An LDAP provider's settings as stored: those of LdapSettings, the search password sealed. */
export type StoredLdapSettings = Omit<LdapSettings, 'bindPassword'> & {
  /** Sealed with the master key, bound to the provider's id; null = none. */
  bindPasswordSealed: string | null;
};

/**
 * A way people sign in from outside Strata, as a platform admin configured it: an OpenID Connect
 * provider (browser redirect) or an LDAP / Active Directory directory (name and password).
 */
@Entity({ name: 'identity_providers' })
export class IdentityProvider {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  kind!: IdentityProviderKind;

  /** In the sign-in URL: /auth/oidc/{slug}/login, /auth/ldap/{slug}/login. */
  @Column('text')
  slug!: string;

  /** On the console's "Sign in with …" button. */
  @Column('text', { name: 'display_name' })
  displayName!: string;

  /** OpenID Connect only (so the client id and secret). */
  @Column('text', { nullable: true })
  issuer!: string | null;

  @Column('text', { name: 'client_id', nullable: true })
  clientId!: string | null;

  /** Sealed with the master key, bound to this provider's id. */
  @Column('text', { name: 'client_secret_sealed', nullable: true })
  clientSecretSealed!: string | null;

  /** LDAP only. */
  @Column('jsonb', { nullable: true })
  ldap!: StoredLdapSettings | null;

  /** OpenID Connect scopes; empty for LDAP. */
  @Column('text', { array: true })
  scopes!: string[];

  /** The ID token claim whose values the rules match (a dotted path reaches into objects); LDAP: `groups`. */
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
