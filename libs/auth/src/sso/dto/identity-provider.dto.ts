import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Nullable, SlugField } from '@strata/core';
import { GrantDto } from '../../dto/grant.dto';
import {
  IDENTITY_PROVIDER_KINDS,
  type IdentityProvider,
  type IdentityProviderKind,
} from '../identity-provider.entity';
import type { MembershipRule } from '../membership-rules';

/** A scope token (RFC 6749: printable ASCII but space, `"` and `\`). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** People whose groups claim holds `claim_value` become members of the tenant with this grant. */
export class MembershipRuleDto extends GrantDto {
  @ApiProperty({ example: 'acme-editors', description: 'A value of the groups claim, matched exactly' })
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  claim_value!: string;

  @ApiProperty({ description: 'The tenant (uuid or slug)', example: 'acme' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  tenant_id!: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: 100,
    description:
      'Groups of the tenant the person joins while the claim holds (document access lists name groups); ' +
      'left at the next sign-in without it. Groups an admin put them in stay.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  group_ids?: string[];
}

/** An LDAP / Active Directory directory: how to find a person, check their password and read their groups. */
export class LdapSettingsDto {
  @ApiProperty({ example: 'ldaps://ldap.example.com:636' })
  @IsString()
  @Matches(/^ldaps?:\/\/[^\s/]+\/?$/, { message: 'url must be ldap://host[:port] or ldaps://host[:port]' })
  url!: string;

  @ApiPropertyOptional({ description: 'Upgrade an ldap:// connection with StartTLS; default false' })
  @IsOptional()
  @IsBoolean()
  start_tls?: boolean;

  @ApiPropertyOptional({ nullable: true, description: 'PEM certificates to trust besides the system’s' })
  @IsOptional()
  @Nullable()
  @IsString()
  @MaxLength(65_536)
  tls_ca_pem?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    example: 'cn=strata,ou=services,dc=example,dc=com',
    description: 'The search account; null = anonymous search',
  })
  @IsOptional()
  @Nullable()
  @IsString()
  @MaxLength(1024)
  bind_dn?: string | null;

  @ApiPropertyOptional({
    writeOnly: true,
    description: 'The search account’s password: sealed at rest, never shown; omitted on a change keeps it',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  bind_password?: string;

  @ApiProperty({ example: 'ou=people,dc=example,dc=com', description: 'Where people are searched (subtree)' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  user_base!: string;

  @ApiPropertyOptional({
    example: '(&(objectClass=user)(sAMAccountName={username}))',
    description:
      'Finds one person; {username} is replaced by the escaped sign-in name. Default (&(objectClass=inetOrgPerson)(uid={username}))',
  })
  @IsOptional()
  @IsString()
  @Matches(/\{username\}/, { message: 'user_filter must contain {username}' })
  @MaxLength(1024)
  user_filter?: string;

  @ApiPropertyOptional({
    description:
      'The attribute that names a person for good: entryUUID (default, OpenLDAP) or objectGUID (Active Directory)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9-]*$/, { message: 'subject_attribute must be an attribute name' })
  subject_attribute?: string;

  @ApiPropertyOptional({ description: 'Default mail' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9-]*$/, { message: 'email_attribute must be an attribute name' })
  email_attribute?: string;

  @ApiPropertyOptional({
    nullable: true,
    example: 'ou=groups,dc=example,dc=com',
    description: 'Where groups are searched with group_filter; null (default) = the person’s memberOf',
  })
  @IsOptional()
  @Nullable()
  @IsString()
  @MaxLength(1024)
  group_base?: string | null;

  @ApiPropertyOptional({
    description:
      '{dn} is replaced by the person’s escaped DN. Default (&(objectClass=groupOfNames)(member={dn}))',
  })
  @IsOptional()
  @IsString()
  @Matches(/\{dn\}/, { message: 'group_filter must contain {dn}' })
  @MaxLength(1024)
  group_filter?: string;

  @ApiPropertyOptional({
    description:
      'The group attribute that is matched against the rules: cn (default), or dn for the whole DN',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9-]*$/, { message: 'group_name_attribute must be an attribute name' })
  group_name_attribute?: string;

  @ApiPropertyOptional({ description: 'Per directory operation, 500–60000 ms; default 10000' })
  @IsOptional()
  @IsInt()
  @Min(500)
  @Max(60_000)
  timeout_ms?: number;
}

const isOidc = (dto: { kind?: IdentityProviderKind }) => (dto.kind ?? 'oidc') === 'oidc';

export class CreateIdentityProviderDto {
  @SlugField({
    example: 'corp-sso',
    description: 'In the sign-in URL: /auth/oidc/{slug}/login or /auth/ldap/{slug}/login',
  })
  slug!: string;

  @ApiPropertyOptional({ enum: IDENTITY_PROVIDER_KINDS, description: 'Default oidc; cannot change later' })
  @IsOptional()
  @IsIn(IDENTITY_PROVIDER_KINDS)
  kind?: IdentityProviderKind;

  @ApiProperty({ example: 'Corporate SSO', description: 'On the console’s “Sign in with …” button' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  display_name!: string;

  @ApiProperty({
    example: 'https://login.example.com/realms/corp',
    description:
      'OpenID Connect: the issuer; its discovery document is at <issuer>/.well-known/openid-configuration',
  })
  @ValidateIf(isOidc)
  @IsString()
  @MaxLength(2000)
  issuer?: string;

  @ApiPropertyOptional({ description: 'OpenID Connect' })
  @ValidateIf(isOidc)
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  client_id?: string;

  @ApiPropertyOptional({ writeOnly: true, description: 'OpenID Connect; sealed at rest, never shown again' })
  @ValidateIf(isOidc)
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  client_secret?: string;

  @ApiPropertyOptional({ type: LdapSettingsDto, description: 'LDAP: the directory' })
  @ValidateIf((dto: { kind?: IdentityProviderKind }) => dto.kind === 'ldap')
  @ValidateNested()
  @Type(() => LdapSettingsDto)
  ldap?: LdapSettingsDto;

  @ApiPropertyOptional({
    type: [String],
    example: ['openid', 'email', 'profile'],
    description: '`openid` is always asked for; default openid, email, profile',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(SCOPE_TOKEN, { each: true, message: 'scopes must be scope tokens' })
  @MaxLength(200, { each: true })
  scopes?: string[];

  @ApiPropertyOptional({
    example: 'groups',
    description:
      'The ID token claim the rules match; dots reach into objects (realm_access.roles). Default groups',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  groups_claim?: string;

  @ApiPropertyOptional({
    description:
      'Let a first sign-in take over an existing account with the same email when the provider says it is verified (email_verified). Default false: such a sign-in is refused (SSO_ACCOUNT_CONFLICT)',
  })
  @IsOptional()
  @IsBoolean()
  link_verified_email?: boolean;

  @ApiPropertyOptional({ description: 'A disabled provider signs no one in; default true' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ type: [MembershipRuleDto], description: 'Claim value → membership rules' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => MembershipRuleDto)
  mappings?: MembershipRuleDto[];
}

/**
 * Omitted fields keep their value; a new client_secret replaces the old; mappings and ldap are
 * replaced whole (ldap without bind_password keeps the sealed one); kind cannot change.
 */
export class UpdateIdentityProviderDto extends PartialType(CreateIdentityProviderDto) {}

export class LdapSettingsResponse {
  @ApiProperty() url!: string;
  @ApiProperty() start_tls!: boolean;
  @ApiProperty({ nullable: true, type: String }) tls_ca_pem!: string | null;
  @ApiProperty({ nullable: true, type: String }) bind_dn!: string | null;
  @ApiProperty() bind_password_set!: boolean;
  @ApiProperty() user_base!: string;
  @ApiProperty() user_filter!: string;
  @ApiProperty() subject_attribute!: string;
  @ApiProperty() email_attribute!: string;
  @ApiProperty({ nullable: true, type: String }) group_base!: string | null;
  @ApiProperty() group_filter!: string;
  @ApiProperty() group_name_attribute!: string;
  @ApiProperty() timeout_ms!: number;
}

export class MembershipRuleResponse {
  @ApiProperty() claim_value!: string;
  @ApiProperty({ format: 'uuid' }) tenant_id!: string;
  @ApiProperty({ enum: ['admin', 'editor', 'viewer'] }) role!: string;
  @ApiProperty({ type: [String], nullable: true }) knowledge_base_ids!: string[] | null;
  @ApiPropertyOptional() permissions?: Record<string, boolean>;
  @ApiPropertyOptional({ type: [String], format: 'uuid' }) group_ids?: string[];
}

export class IdentityProviderResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ enum: IDENTITY_PROVIDER_KINDS }) kind!: IdentityProviderKind;
  @ApiProperty() display_name!: string;
  @ApiProperty({ nullable: true, type: String }) issuer!: string | null;
  @ApiProperty({ nullable: true, type: String }) client_id!: string | null;
  @ApiProperty({ nullable: true, type: LdapSettingsResponse }) ldap!: LdapSettingsResponse | null;
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiProperty() groups_claim!: string;
  @ApiProperty() link_verified_email!: boolean;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: [MembershipRuleResponse] }) mappings!: MembershipRule[];
  @ApiProperty({
    nullable: true,
    type: String,
    example: '/api/v1/auth/oidc/corp-sso/callback',
    description: 'OpenID Connect: register this path, under PUBLIC_URL, as a redirect URI at the provider',
  })
  callback_path!: string | null;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;

  static from(provider: IdentityProvider): IdentityProviderResponse {
    return {
      id: provider.id,
      slug: provider.slug,
      kind: provider.kind,
      display_name: provider.displayName,
      issuer: provider.issuer,
      client_id: provider.clientId,
      ldap: provider.ldap && {
        url: provider.ldap.url,
        start_tls: provider.ldap.startTls,
        tls_ca_pem: provider.ldap.tlsCaPem,
        bind_dn: provider.ldap.bindDn,
        bind_password_set: provider.ldap.bindPasswordSealed !== null,
        user_base: provider.ldap.userBase,
        user_filter: provider.ldap.userFilter,
        subject_attribute: provider.ldap.subjectAttribute,
        email_attribute: provider.ldap.emailAttribute,
        group_base: provider.ldap.groupBase,
        group_filter: provider.ldap.groupFilter,
        group_name_attribute: provider.ldap.groupNameAttribute,
        timeout_ms: provider.ldap.timeoutMs,
      },
      scopes: provider.scopes,
      groups_claim: provider.groupsClaim,
      link_verified_email: provider.linkVerifiedEmail,
      enabled: provider.enabled,
      mappings: provider.mappings,
      callback_path: provider.kind === 'oidc' ? oidcCallbackPath(provider.slug) : null,
      created_at: provider.createdAt.toISOString(),
      updated_at: provider.updatedAt.toISOString(),
    };
  }
}

export class IdentityProviderListResponse {
  @ApiProperty({ type: [IdentityProviderResponse] }) items!: IdentityProviderResponse[];
}

/** A provider people can sign in through, as the console's sign-in page shows it. */
export class SignInOptionResponse {
  @ApiProperty() slug!: string;
  @ApiProperty({ enum: IDENTITY_PROVIDER_KINDS }) kind!: IdentityProviderKind;
  @ApiProperty() display_name!: string;
  @ApiProperty({
    example: '/api/v1/auth/oidc/corp-sso/login',
    description: 'oidc: open it in the browser (GET); ldap: POST {username, password} to it',
  })
  login_path!: string;
}

export class SignInOptionsResponse {
  @ApiProperty({ type: [SignInOptionResponse] }) providers!: SignInOptionResponse[];
}

export const oidcCallbackPath = (slug: string) => `/api/v1/auth/oidc/${slug}/callback`;
export const oidcLoginPath = (slug: string) => `/api/v1/auth/oidc/${slug}/login`;
export const ldapLoginPath = (slug: string) => `/api/v1/auth/ldap/${slug}/login`;
