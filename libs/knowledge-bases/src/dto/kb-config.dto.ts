import { Nullable } from '@strata/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { EXTRACTION_METHODS, type ExtractionMethod, QUERY_MODES, type QueryMode } from '../kb-config';

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
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description:
      "The KB's embedding model on the tenant's endpoint (strata-lexical-v1 = the embedded one). Unset: the " +
      "tenant's default, recorded at first ingestion. Changing it re-embeds every document; null follows the tenant's default again.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  model?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 16384,
    description: 'Recorded from the first vectors; read-mostly',
  })
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

  @ApiPropertyOptional({
    enum: EXTRACTION_METHODS,
    default: 'auto',
    description:
      "How entities and relations are found: the tenant's LLM (llm), the embedded NLP extractor (embedded), or the LLM when one is configured (auto)",
  })
  @IsOptional()
  @IsIn(EXTRACTION_METHODS)
  method?: ExtractionMethod;
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

  @ApiPropertyOptional({
    minimum: 100,
    maximum: 128000,
    default: 4000,
    description: 'Token budget of the context',
  })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(128000)
  max_total_tokens?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 60, description: 'k of reciprocal rank fusion' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  rrf_k?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 10,
    nullable: true,
    type: Number,
    default: null,
    description:
      'Weight of the vector list in the fusion. null (the default): 1 when the KB embeds with a model ' +
      'provider, 0 with the embedded lexical embedder (strata-lexical-v1), whose vectors rank the same ' +
      'words as full text, only worse',
  })
  @IsOptional()
  @Nullable()
  @IsNumber()
  @Min(0)
  @Max(10)
  vector_weight?: number | null;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 10,
    default: 1,
    description: 'Weight of the full-text list in the fusion',
  })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(10)
  text_weight?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 50,
    default: 10,
    description:
      'Pseudo-relevance feedback (RM3) of the full-text search: its best this many chunks add their ' +
      '10 most telling terms to the question, which is searched again; 0 turns it off',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(50)
  feedback_chunks?: number;

  @ApiPropertyOptional({ default: true, description: 'Let a configured rerank provider reorder the chunks' })
  @IsOptional()
  @IsBoolean()
  rerank?: boolean;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 32000,
    default: 2000,
    description: 'Token budget of conversation_history sent to the LLM',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(32000)
  max_history_tokens?: number;

  @ApiPropertyOptional({
    default: 'Multiple Paragraphs',
    description: 'Shape of answers when a request names none (e.g. "Single Paragraph", "Bullet Points")',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  response_type?: string;
}

export class LlmConfigDto {
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: "The KB's chat model on the tenant's LLM endpoint; null = the tenant's model",
  })
  @IsOptional()
  @Nullable()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  model?: string | null;
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

  @ApiPropertyOptional({ type: LlmConfigDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LlmConfigDto)
  llm?: LlmConfigDto;

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
  @ApiProperty() llm!: LlmConfigDto;
  @ApiProperty() query!: QueryConfigDto;
}
