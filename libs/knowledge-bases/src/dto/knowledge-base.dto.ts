import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsJsonObject, Nullable, PageQueryDto, SlugField } from '@strata/core';
import { mergeKbConfig } from '../kb-config';
import type { KnowledgeBase } from '../entities/knowledge-base.entity';
import { KnowledgeBaseConfigDto, KnowledgeBaseConfigResponse } from './kb-config.dto';

export const MAX_METADATA_BYTES = 16 * 1024;

export class CreateKnowledgeBaseDto {
  @SlugField({
    optional: true,
    example: 'contracts',
    description: 'Unique within the tenant; derived from name when omitted',
  })
  slug?: string;

  @ApiProperty({ example: 'Contracts' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @Nullable()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({ type: KnowledgeBaseConfigDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => KnowledgeBaseConfigDto)
  config?: KnowledgeBaseConfigDto;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Free JSON, up to 16 KiB' })
  @IsOptional()
  @IsJsonObject(MAX_METADATA_BYTES)
  metadata?: Record<string, unknown>;
}

/** Fields to change; omitted ones keep their value, `metadata` is replaced whole, `config` merged. */
export class UpdateKnowledgeBaseDto extends PartialType(OmitType(CreateKnowledgeBaseDto, ['slug'] as const)) {
  @ApiPropertyOptional({ enum: ['active', 'archived'], description: 'archived = read-only' })
  @IsOptional()
  @IsIn(['active', 'archived'])
  status?: 'active' | 'archived';
}

export class KnowledgeBaseResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ format: 'uuid' }) tenant_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ enum: ['active', 'archived'] }) status!: string;
  @ApiProperty({ type: KnowledgeBaseConfigResponse }) config!: KnowledgeBaseConfigResponse;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
  @ApiProperty() document_count!: number;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;

  static from(kb: KnowledgeBase): KnowledgeBaseResponse {
    return {
      id: kb.id,
      slug: kb.slug,
      tenant_id: kb.tenantId,
      name: kb.name,
      description: kb.description,
      status: kb.status,
      config: mergeKbConfig(kb.config) as KnowledgeBaseConfigResponse,
      metadata: kb.metadata,
      document_count: kb.documentCount,
      created_at: kb.createdAt.toISOString(),
      updated_at: kb.updatedAt.toISOString(),
    };
  }
}

export class KnowledgeBasePageResponse {
  @ApiProperty({ type: [KnowledgeBaseResponse] }) items!: KnowledgeBaseResponse[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}

export class ListKnowledgeBasesQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['active', 'archived'] })
  @IsOptional()
  @IsIn(['active', 'archived'])
  status?: 'active' | 'archived';
}
