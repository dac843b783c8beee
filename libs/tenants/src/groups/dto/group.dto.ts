import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { GroupMemberRow, GroupRow } from '../groups.repository';

export class CreateGroupDto {
  @ApiProperty({ example: 'HR', description: 'Unique in the tenant, whatever the case', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiPropertyOptional({ example: 'People who may read salary bands', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;
}

/** Fields to change; omitted ones keep their value. */
export class UpdateGroupDto extends PartialType(CreateGroupDto) {}

export class GroupResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'Members who are people' }) users!: number;
  @ApiProperty({ description: 'Members that are API keys' }) api_keys!: number;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;

  static from(row: GroupRow): GroupResponse {
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      users: row.users,
      api_keys: row.api_keys,
      created_at: row.created_at.toISOString(),
      updated_at: row.updated_at.toISOString(),
    };
  }
}

export class GroupPageResponse {
  @ApiProperty({ type: [GroupResponse] }) items!: GroupResponse[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}

export class GroupMemberResponse {
  @ApiProperty({ enum: ['user', 'api_key'] }) type!: 'user' | 'api_key';
  @ApiProperty({ format: 'uuid', description: 'The user id or the API key id' }) id!: string;
  @ApiProperty({ description: "The person's email or the key's name" }) label!: string;
  @ApiProperty() added_at!: string;

  static from(row: GroupMemberRow, label: string): GroupMemberResponse {
    return { type: row.type, id: row.id, label, added_at: row.created_at.toISOString() };
  }
}

export class GroupMembersResponse {
  @ApiProperty({ type: [GroupMemberResponse] }) items!: GroupMemberResponse[];
}
