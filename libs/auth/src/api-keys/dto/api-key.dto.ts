import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsDateString, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { effectivePermissions, TENANT_ROLES, type TenantRole } from '@strata/tenancy';
import { PermissionsResponse } from '../../dto/permissions.response';
import { GrantDto } from '../../dto/grant.dto';
import type { ApiKey } from '../api-key.entity';

export class CreateApiKeyDto extends PickType(GrantDto, [
  'role',
  'knowledge_base_ids',
  'permissions',
] as const) {
  @ApiProperty({ example: 'nightly-sync' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'After this instant the key stops working' })
  @IsOptional()
  @IsDateString({ strict: true })
  expires_at?: string;
}

export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'First 8 characters after sk_, to tell keys apart' }) prefix!: string;
  @ApiProperty({ enum: TENANT_ROLES }) role!: TenantRole;
  @ApiProperty({ type: [String], nullable: true, description: 'null = every KB of the tenant' })
  knowledge_base_ids!: string[] | null;
  @ApiProperty({ type: PermissionsResponse }) permissions!: PermissionsResponse;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) created_by!: string | null;
  @ApiProperty({ nullable: true, type: String }) last_used_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) expires_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) revoked_at!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The key this one replaced' })
  rotated_from!: string | null;
  @ApiProperty() created_at!: string;

  static from(key: ApiKey): ApiKeyResponse {
    const iso = (date: Date | null) => date?.toISOString() ?? null;
    return {
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      role: key.role,
      knowledge_base_ids: key.knowledgeBaseIds,
      permissions: effectivePermissions(key.role, key.permissions),
      created_by: key.createdBy,
      last_used_at: iso(key.lastUsedAt),
      expires_at: iso(key.expiresAt),
      revoked_at: iso(key.revokedAt),
      rotated_from: key.rotatedFrom,
      created_at: key.createdAt.toISOString(),
    };
  }
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({ description: 'The full key. Shown this once; store it now.', example: 'sk_…' })
  key!: string;
}

export class ApiKeyPageResponse {
  @ApiProperty({ type: [ApiKeyResponse] }) items!: ApiKeyResponse[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}

/** A week: long enough to roll a secret out to every client, short enough to end a leak. */
export const MAX_ROTATION_GRACE_SECONDS = 7 * 86_400;

export class RotateApiKeyDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_ROTATION_GRACE_SECONDS,
    default: 86_400,
    description: 'How long the old secret keeps working; 0 revokes it at once',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_ROTATION_GRACE_SECONDS)
  grace_seconds?: number;
}

export class RotatedApiKeyResponse extends CreatedApiKeyResponse {
  @ApiProperty({ description: 'When the old secret stops working' }) previous_expires_at!: string;
}
