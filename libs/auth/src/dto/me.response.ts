import { ApiProperty } from '@nestjs/swagger';
import { PermissionsResponse } from './permissions.response';

export class MeUserResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() platform_admin!: boolean;
}

export class MeMembershipResponse {
  @ApiProperty({ format: 'uuid' }) tenant_id!: string;
  @ApiProperty() tenant_slug!: string;
  @ApiProperty() tenant_name!: string;
  @ApiProperty({ enum: ['admin', 'editor', 'viewer'] }) role!: string;
  @ApiProperty({ type: [String], nullable: true, description: 'null = every KB of the tenant' })
  knowledge_base_ids!: string[] | null;
  @ApiProperty({ type: PermissionsResponse }) permissions!: PermissionsResponse;
}

export class MeApiKeyResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['admin', 'editor', 'viewer'] }) role!: string;
  @ApiProperty({ type: [String], nullable: true }) knowledge_base_ids!: readonly string[] | null;
  @ApiProperty({ type: PermissionsResponse }) permissions!: PermissionsResponse;
}

export class MeResponse {
  @ApiProperty({ type: MeUserResponse, nullable: true, description: 'null when calling with an API key' })
  user!: MeUserResponse | null;
  @ApiProperty({ type: MeApiKeyResponse, nullable: true, description: 'the key, when calling with one' })
  api_key!: MeApiKeyResponse | null;
  @ApiProperty({ nullable: true, description: 'Tenant the access token is bound to' }) tenant_id!:
    string | null;
  @ApiProperty({ type: [MeMembershipResponse] }) memberships!: MeMembershipResponse[];
}
