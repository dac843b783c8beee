import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { QueryDto } from '@strata/query';

/**
 * LightRAG's query request, as its server documents it: Strata's query takes the same fields
 * under the same names (mode, top_k, chunk_top_k, the token budgets, keywords, history,
 * user_prompt, response_type, enable_rerank, only_need_context/prompt), and these add what only
 * LightRAG has. Strata's `filters` are not part of it; `stream` means NDJSON here.
 */
export class LightRagQueryDto extends OmitType(QueryDto, ['query', 'stream', 'filters'] as const) {
  @ApiProperty({
    minLength: 3,
    maxLength: 8000,
    description: 'The question (LightRAG wants 3 characters at least)',
  })
  @IsString()
  @MinLength(3)
  @MaxLength(8000)
  query!: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100,
    description: 'Only the last this many user turns of conversation_history (with their answers) are used',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  history_turns?: number;

  @ApiPropertyOptional({ default: true, description: 'Answer with `references` (false: null)' })
  @IsOptional()
  @IsBoolean()
  include_references?: boolean;

  @ApiPropertyOptional({ default: false, description: "Give each reference its chunk's text as `content`" })
  @IsOptional()
  @IsBoolean()
  include_chunk_content?: boolean;

  @ApiPropertyOptional({ description: '/query/stream only: false answers in one line (default true)' })
  @IsOptional()
  @IsBoolean()
  stream?: boolean;
}
