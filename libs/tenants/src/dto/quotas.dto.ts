import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Nullable } from '@strata/core';

const MAX = Number.MAX_SAFE_INTEGER;

/** Quotas to set; omitted ones keep their value. */
export class QuotasDto {
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @IsInt() @Min(0) @Max(MAX) max_knowledge_bases?: number;
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @IsInt() @Min(0) @Max(MAX) max_documents?: number;
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @IsInt() @Min(0) @Max(MAX) max_storage_bytes?: number;
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @IsInt() @Min(0) @Max(MAX) max_upload_bytes?: number;
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @IsInt() @Min(0) @Max(MAX) queries_per_minute?: number;
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @IsInt() @Min(0) @Max(MAX) requests_per_minute?: number;
  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX)
  max_concurrent_requests?: number;
  @ApiPropertyOptional({
    minimum: 0,
    nullable: true,
    type: Number,
    description:
      'LLM tokens a day (prompt and completion: answers, keywords, graph extraction); null: no limit',
  })
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(MAX)
  llm_tokens_per_day?: number | null;
  @ApiPropertyOptional({
    minimum: 0,
    nullable: true,
    type: Number,
    description:
      'Embedding tokens a day at a model provider (the embedded embedder costs none); null: no limit',
  })
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(0)
  @Max(MAX)
  embedding_tokens_per_day?: number | null;
}

export class QuotasResponse {
  @ApiProperty() max_knowledge_bases!: number;
  @ApiProperty() max_documents!: number;
  @ApiProperty() max_storage_bytes!: number;
  @ApiProperty() max_upload_bytes!: number;
  @ApiProperty() queries_per_minute!: number;
  @ApiProperty() requests_per_minute!: number;
  @ApiProperty() max_concurrent_requests!: number;
  @ApiProperty({ nullable: true, type: Number }) llm_tokens_per_day!: number | null;
  @ApiProperty({ nullable: true, type: Number }) embedding_tokens_per_day!: number | null;
}
