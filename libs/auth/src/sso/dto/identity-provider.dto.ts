import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { SlugField } from '@strata/core';
import { GrantDto } from '../../dto/grant.dto';
import type { IdentityProvider } from '../identity-provider.entity';
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
}

export class CreateIdentityProviderDto {
  @SlugField({ example: 'corp-sso', description: 'In the sign-in URL: /auth/oidc/{slug}/login' })
  slug!: string;

  @ApiProperty({ example: 'Corporate SSO', description: 'On the console’s “Sign in with …” button' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  display_name!: string;

  @ApiProperty({
    example: 'https://login.example.com/realms/corp',
    description: 'The issuer; its discovery document is at <issuer>/.well-known/openid-configuration',
  })
  @IsString()
  @MaxLength(2000)
  issuer!: string;

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(512) client_id!: string;

  @ApiProperty({ writeOnly: true, description: 'Sealed at rest; never shown again' })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  client_secret!: string;

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

/** Omitted fields keep their value; a new client_secret replaces the old; mappings are replaced whole. */
export class UpdateIdentityProviderDto extends PartialType(CreateIdentityProviderDto) {}

export class MembershipRuleResponse {
  @ApiProperty() claim_value!: string;
  @ApiProperty({ format: 'uuid' }) tenant_id!: string;
  @ApiProperty({ enum: ['admin', 'editor', 'viewer'] }) role!: string;
  @ApiProperty({ type: [String], nullable: true }) knowledge_base_ids!: string[] | null;
  @ApiPropertyOptional() permissions?: Record<string, boolean>;
}

export class IdentityProviderResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() display_name!: string;
  @ApiProperty() issuer!: string;
  @ApiProperty() client_id!: string;
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiProperty() groups_claim!: string;
  @ApiProperty() link_verified_email!: boolean;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: [MembershipRuleResponse] }) mappings!: MembershipRule[];
  @ApiProperty({
    example: '/api/v1/auth/oidc/corp-sso/callback',
    description: 'Register this path, under PUBLIC_URL, as a redirect URI at the provider',
  })
  callback_path!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;

  static from(provider: IdentityProvider): IdentityProviderResponse {
    return {
      id: provider.id,
      slug: provider.slug,
      display_name: provider.displayName,
      issuer: provider.issuer,
      client_id: provider.clientId,
      scopes: provider.scopes,
      groups_claim: provider.groupsClaim,
      link_verified_email: provider.linkVerifiedEmail,
      enabled: provider.enabled,
      mappings: provider.mappings,
      callback_path: oidcCallbackPath(provider.slug),
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
  @ApiProperty() display_name!: string;
  @ApiProperty({ example: '/api/v1/auth/oidc/corp-sso/login' }) login_path!: string;
}

export class SignInOptionsResponse {
  @ApiProperty({ type: [SignInOptionResponse] }) providers!: SignInOptionResponse[];
}

export const oidcCallbackPath = (slug: string) => `/api/v1/auth/oidc/${slug}/callback`;
export const oidcLoginPath = (slug: string) => `/api/v1/auth/oidc/${slug}/login`;
