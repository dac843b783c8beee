import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { GrantDto, PermissionsResponse } from '@strata/auth';
import { effectivePermissions, Membership, TENANT_ROLES, type TenantRole } from '@strata/tenancy';

export class CreateMemberDto extends GrantDto {
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
