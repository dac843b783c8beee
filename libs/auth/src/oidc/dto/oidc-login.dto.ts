import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { SLUG_PATTERN, UUID_PATTERN } from '@strata/core';

const TENANT_REF = new RegExp(`${UUID_PATTERN.source}|${SLUG_PATTERN.source}`, 'i');

export class OidcLoginQueryDto {
  @ApiPropertyOptional({
    description: 'Bind the session to this tenant (uuid or slug); by default as for a password login',
  })
  @IsOptional()
  @Matches(TENANT_REF, { message: 'tenant must be a uuid or a slug' })
  tenant?: string;

  @ApiPropertyOptional({
    description: 'Passed to the provider to fill in who signs in (OpenID Connect login_hint)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  login_hint?: string;
}

export class OidcExchangeDto {
  @ApiProperty({ description: 'The code from the callback’s #sso=… fragment' })
  @IsString()
  @MaxLength(200)
  code!: string;
}
