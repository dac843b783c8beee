import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SLUG_PATTERN, UUID_PATTERN } from '@strata/core';

const TENANT_REF = new RegExp(`${UUID_PATTERN.source}|${SLUG_PATTERN.source}`, 'i');

export class LdapLoginDto {
  @ApiProperty({
    example: 'ada',
    description: 'The directory sign-in name, as the provider’s user filter expects it',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  username!: string;

  @ApiProperty({ writeOnly: true })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;

  @ApiPropertyOptional({ description: 'Bind the session to this tenant (uuid or slug)' })
  @IsOptional()
  @Matches(TENANT_REF, { message: 'tenant_id must be a uuid or a slug' })
  tenant_id?: string;
}
