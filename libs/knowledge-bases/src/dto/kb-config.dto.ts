import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { QUERY_MODES, type QueryMode } from '../kb-config';

export class ChunkingConfigDto {
  @ApiPropertyOptional({ minimum: 64, maximum: 8192, default: 1200, description: 'Tokens per chunk' })
  @IsOptional()
  @IsInt()
  @Min(64)
  @Max(8192)
  chunk_size?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 4096,
    default: 100,
    description: 'Tokens shared by neighbouring chunks',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(4096)
  chunk_overlap?: number;
}

export class EmbeddingConfigDto {
  @ApiPropertyOptional({ description: 'Embedding model name; recorded at first ingestion when unset' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  model?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 16384 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(16384)
  dimension?: number;
}

export class ExtractionConfigDto {
  @ApiPropertyOptional({ default: true, description: 'Build the knowledge graph during ingestion' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class QueryConfigDto {
  @ApiPropertyOptional({ enum: QUERY_MODES, default: 'mix' })
  @IsOptional()
  @IsIn(QUERY_MODES)
  default_mode?: QueryMode;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 40 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  top_k?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 20 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  chunk_top_k?: number;
}

/** Per-KB settings to change; omitted sections and fields keep their value. */
export class KnowledgeBaseConfigDto {
  @ApiPropertyOptional({ type: ChunkingConfigDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChunkingConfigDto)
  chunking?: ChunkingConfigDto;

  @ApiPropertyOptional({ type: EmbeddingConfigDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmbeddingConfigDto)
  embedding?: EmbeddingConfigDto;

  @ApiPropertyOptional({ type: ExtractionConfigDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExtractionConfigDto)
  extraction?: ExtractionConfigDto;

  @ApiPropertyOptional({ type: QueryConfigDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => QueryConfigDto)
  query?: QueryConfigDto;
}

export class KnowledgeBaseConfigResponse {
  @ApiProperty() chunking!: ChunkingConfigDto;
  @ApiProperty() embedding!: EmbeddingConfigDto;
  @ApiProperty() extraction!: ExtractionConfigDto;
  @ApiProperty() query!: QueryConfigDto;
}
