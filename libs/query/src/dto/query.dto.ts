import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsJsonObject } from '@strata/core';
import { QUERY_MODES, type QueryMode } from '@strata/knowledge-bases';

export class QueryFiltersDto {
  @ApiPropertyOptional({ type: [String], description: 'Only these documents' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  document_ids?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Only documents whose metadata contains these key/values (JSON containment)',
  })
  @IsOptional()
  @IsJsonObject(4096)
  metadata?: Record<string, unknown>;
}

export class HistoryMessageDto {
  @ApiProperty({ enum: ['user', 'assistant'] })
  @IsIn(['user', 'assistant'])
  role!: 'user' | 'assistant';

  @ApiProperty({ maxLength: 32000 })
  @IsString()
  @MaxLength(32000)
  content!: string;
}

export class QueryDto {
  @ApiProperty({ example: 'How much did revenue grow last quarter?' })
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  query!: string;

  @ApiPropertyOptional({
    enum: QUERY_MODES,
    description: "Defaults to the KB's default mode (mix unless changed)",
  })
  @IsOptional()
  @IsIn(QUERY_MODES)
  mode?: QueryMode;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 200,
    description: "Chunks kept after fusion; the KB's chunk_top_k by default",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  chunk_top_k?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 500,
    description: "Candidates each retriever returns; the KB's top_k by default",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  top_k?: number;

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

  @ApiPropertyOptional({ default: false, description: 'Return the retrieved context instead of an answer' })
  @IsOptional()
  @IsBoolean()
  only_need_context?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'Return the prompt the LLM would get instead of an answer',
  })
  @IsOptional()
  @IsBoolean()
  only_need_prompt?: boolean;

  @ApiPropertyOptional({
    default: false,
    description:
      'Answer as Server-Sent Events: `references`, then `delta` events with pieces of the answer, then `done` ' +
      '(or `error`). Closing the connection stops the LLM call. Ignored with only_need_context/only_need_prompt.',
  })
  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  @ApiPropertyOptional({
    type: [HistoryMessageDto],
    description:
      "Earlier turns, oldest first; the most recent that fit the KB's max_history_tokens go to the LLM",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => HistoryMessageDto)
  conversation_history?: HistoryMessageDto[];

  @ApiPropertyOptional({
    example: 'Bullet Points',
    description:
      "Shape of the answer (e.g. 'Single Paragraph', 'Bullet Points'); the KB's response_type by default",
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  response_type?: string;

  @ApiPropertyOptional({
    description: "Let the tenant's rerank provider reorder the chunks; the KB's query.rerank by default",
  })
  @IsOptional()
  @IsBoolean()
  enable_rerank?: boolean;

  @ApiPropertyOptional({ type: QueryFiltersDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => QueryFiltersDto)
  filters?: QueryFiltersDto;

  @ApiPropertyOptional({
    maxLength: 2000,
    description:
      "Extra instructions for the LLM's answer (how to write it, not what to search); extractive answers do not use them",
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  user_prompt?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'High-level keywords (themes) for global/hybrid/mix retrieval, instead of extracting them',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  hl_keywords?: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'Low-level keywords (names) for local/hybrid/mix retrieval, instead of extracting them',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  ll_keywords?: string[];

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 128000,
    description: "Tokens the context's entity lines may take at most (graph modes); within max_total_tokens",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(128000)
  max_entity_tokens?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 128000,
    description:
      "Tokens the context's relation lines may take at most (graph modes); within max_total_tokens",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(128000)
  max_relation_tokens?: number;
}

export class QueryReference {
  @ApiProperty({ description: 'The number answers cite as [n]' }) id!: number;
  @ApiProperty({ format: 'uuid', description: 'The KB the chunk is in' }) knowledge_base_id!: string;
  @ApiProperty({ format: 'uuid' }) document_id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ format: 'uuid' }) chunk_id!: string;
  @ApiProperty({
    description: "Fused (reciprocal rank) score, or the rerank provider's relevance when reranked",
  })
  score!: number;
  @ApiProperty({
    description:
      "The chunk's opening as plain text (markdown markup dropped), at most 240 characters, cut at a word boundary with …",
  })
  snippet!: string;
}

export class QueryEntity {
  @ApiProperty() name!: string;
  @ApiProperty() type!: string;
  @ApiProperty() description!: string;
}

export class QueryRelation {
  @ApiProperty() source!: string;
  @ApiProperty() target!: string;
  @ApiProperty() keywords!: string;
  @ApiProperty() description!: string;
  @ApiProperty() weight!: number;
}

export class QueryKeywordsResponse {
  @ApiProperty({ type: [String], description: 'Themes: searched among relations (global)' })
  high_level!: string[];
  @ApiProperty({ type: [String], description: 'Names: searched among entities (local)' })
  low_level!: string[];
}

export const ANSWER_SOURCES = ['llm', 'extractive'] as const;
export type AnswerSource = (typeof ANSWER_SOURCES)[number];

export class QueryResponse {
  @ApiProperty({ nullable: true, type: String }) answer!: string | null;
  @ApiProperty({
    nullable: true,
    enum: ANSWER_SOURCES,
    description: 'Who wrote the answer: the LLM, or the extractive answerer; null without an answer',
  })
  answer_source!: AnswerSource | null;
  @ApiProperty({ enum: QUERY_MODES }) mode!: QueryMode;
  @ApiProperty({ type: [QueryReference] }) references!: QueryReference[];
  @ApiProperty({ type: [QueryEntity], description: 'Graph entities in the context (graph modes)' })
  entities!: QueryEntity[];
  @ApiProperty({ type: [QueryRelation], description: 'Graph relations in the context (graph modes)' })
  relations!: QueryRelation[];
  @ApiPropertyOptional({ type: QueryKeywordsResponse, description: 'The keywords graph modes searched with' })
  keywords?: QueryKeywordsResponse;
  @ApiPropertyOptional({ description: 'The context, when only_need_context' }) context?: string;
  @ApiPropertyOptional({ description: 'The prompt, when only_need_prompt' }) prompt?: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) usage!: Record<string, number>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'retrieval, rerank, answer and total, in milliseconds',
  })
  timings_ms!: Record<string, number>;
  @ApiProperty({
    type: [String],
    description:
      'What went differently than asked, e.g. a provider that failed and the fallback the tenant chose',
  })
  warnings!: string[];
}

export class QueryOptionsResponse {
  @ApiProperty({
    enum: QUERY_MODES,
    isArray: true,
    description: 'The modes this KB answers now: `bypass` only with an LLM',
  })
  modes!: QueryMode[];
  @ApiProperty({ enum: QUERY_MODES, description: "The KB's default mode (config.query.default_mode)" })
  default_mode!: QueryMode;
  @ApiProperty({
    enum: ANSWER_SOURCES,
    description: "Where answers come from: the KB's LLM, or sentences extracted from the chunks",
  })
  answers_from!: AnswerSource;
}
