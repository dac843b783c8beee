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
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { QUERY_MODES, type QueryMode } from '@strata/knowledge-bases';
import { HistoryMessageDto } from '@strata/query';

/**
 * LightRAG's query request, as its server documents it. Each field means what it means there;
 * where Strata has the same knob under the same name it is passed on as it is.
 */
export class LightRagQueryDto {
  @ApiProperty({ minLength: 3, maxLength: 8000 })
  @IsString()
  @MinLength(3)
  @MaxLength(8000)
  query!: string;

  @ApiPropertyOptional({ enum: QUERY_MODES, description: "The KB's default mode when absent" })
  @IsOptional()
  @IsIn(QUERY_MODES)
  mode?: QueryMode;

  @ApiPropertyOptional({ description: 'Answer with the retrieved context instead (as `response`)' })
  @IsOptional()
  @IsBoolean()
  only_need_context?: boolean;

  @ApiPropertyOptional({ description: 'Answer with the prompt the LLM would get instead (as `response`)' })
  @IsOptional()
  @IsBoolean()
  only_need_prompt?: boolean;

  @ApiPropertyOptional({ example: 'Multiple Paragraphs' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  response_type?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  top_k?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  chunk_top_k?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 128000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(128000)
  max_entity_tokens?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 128000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(128000)
  max_relation_tokens?: number;

  @ApiPropertyOptional({ minimum: 100, maximum: 128000 })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(128000)
  max_total_tokens?: number;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  hl_keywords?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  ll_keywords?: string[];

  @ApiPropertyOptional({ type: [HistoryMessageDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => HistoryMessageDto)
  conversation_history?: HistoryMessageDto[];

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100,
    description: 'Only the last this many user/assistant turns of conversation_history are used',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  history_turns?: number;

  @ApiPropertyOptional({ maxLength: 2000, description: "Extra instructions for the LLM's answer" })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  user_prompt?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enable_rerank?: boolean;

  @ApiPropertyOptional({ default: true, description: 'Answer with `references` (false: null)' })
  @IsOptional()
  @IsBoolean()
  include_references?: boolean;

  @ApiPropertyOptional({ default: false, description: "Give each reference its chunks' text as `content`" })
  @IsOptional()
  @IsBoolean()
  include_chunk_content?: boolean;

  @ApiPropertyOptional({ description: '/query/stream only: false answers in one line (default true)' })
  @IsOptional()
  @IsBoolean()
  stream?: boolean;
}
