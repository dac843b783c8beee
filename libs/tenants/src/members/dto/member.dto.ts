import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PermissionsResponse } from '@strata/auth';
import { SLUG_PATTERN, UUID_PATTERN } from '@strata/core';
import { effectivePermissions, Membership, TENANT_ROLES, type TenantRole } from '@strata/tenancy';
import { PermissionsDto } from './permissions.dto';

const KB_REF = new RegExp(`${UUID_PATTERN.source}|${SLUG_PATTERN.source}`, 'i');
const KB_IDS_DESCRIPTION = 'KB uuids or slugs this member may use; null or omitted = every KB of the tenant';

export class CreateMemberDto {
  @ApiProperty({ example: 'dana@acme.example' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiPropertyOptional({
    description: 'Required when no user has this email yet; ignored otherwise',
    minLength: 12,
  })
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(1024)
  password?: string;

  @ApiProperty({ enum: TENANT_ROLES })
  @IsIn(TENANT_ROLES)
  role!: TenantRole;

  @ApiPropertyOptional({ type: [String], nullable: true, description: KB_IDS_DESCRIPTION })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
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

/** Role, KB assignment or flags to change; omitted fields keep their value. */
export class UpdateMemberDto extends PartialType(
  PickType(CreateMemberDto, ['role', 'knowledge_base_ids', 'permissions'] as const),
) {}

export class MemberResponse {
  @ApiProperty({ format: 'uuid' }) user_id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: TENANT_ROLES }) role!: TenantRole;
  @ApiProperty({ type: [String], nullable: true, description: 'null = every KB of the tenant' })
  knowledge_base_ids!: string[] | null;
  @ApiProperty({ type: PermissionsResponse }) permissions!: PermissionsResponse;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;

  static from(membership: Membership, email: string): MemberResponse {
    return {
      user_id: membership.userId,
      email,
      role: membership.role,
      knowledge_base_ids: membership.knowledgeBaseIds,
      permissions: effectivePermissions(membership.role, membership.permissions),
      created_at: membership.createdAt.toISOString(),
      updated_at: membership.updatedAt.toISOString(),
    };
  }
}

export class MemberPageResponse {
  @ApiProperty({ type: [MemberResponse] }) items!: MemberResponse[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}
