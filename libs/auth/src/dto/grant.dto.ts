import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, Matches, ValidateNested } from 'class-validator';
import { Nullable, SLUG_PATTERN, UUID_PATTERN } from '@strata/core';
import { TENANT_ROLES, type TenantRole } from '@strata/tenancy';

const KB_REF = new RegExp(`${UUID_PATTERN.source}|${SLUG_PATTERN.source}`, 'i');

/** Permission flags to set; omitted flags take the role's default. */
export class PermissionsDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() create_kb?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() delete_documents?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() run_queries?: boolean;
}

/** What a member or an API key is granted in a tenant: role, KB assignment, flags. */
export class GrantDto {
  @ApiProperty({ enum: TENANT_ROLES })
  @IsIn(TENANT_ROLES)
  role!: TenantRole;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    description: 'KB uuids or slugs; null or omitted = every KB of the tenant',
  })
  @IsOptional()
  @Nullable()
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(KB_REF, { each: true, message: 'knowledge_base_ids must hold KB uuids or slugs' })
  knowledge_base_ids?: string[] | null;

  @ApiPropertyOptional({ type: PermissionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PermissionsDto)
  permissions?: PermissionsDto;
}
