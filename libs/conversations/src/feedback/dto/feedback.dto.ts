import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '@strata/core';
import { RATINGS, type Rating } from '../answer-feedback.repository';

export class RateAnswerDto {
  @ApiProperty({ enum: RATINGS })
  @IsIn(RATINGS)
  rating!: Rating;

  @ApiPropertyOptional({ maxLength: 2000, description: 'What was wrong (or right) with the answer' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;

  @ApiPropertyOptional({ minimum: 1, description: 'The reference [n] of the answer that was wrong' })
  @IsOptional()
  @IsInt()
  @Min(1)
  reference_id?: number;
}

export class FeedbackResponse {
  @ApiProperty({ enum: RATINGS }) rating!: Rating;
  @ApiProperty({ nullable: true, type: String }) comment!: string | null;
  @ApiProperty({ nullable: true, type: Number }) reference_id!: number | null;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
}

export class FeedbackQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RATINGS })
  @IsOptional()
  @IsIn(RATINGS)
  rating?: Rating;

  @ApiPropertyOptional({ format: 'date-time', description: 'Rated at or after (inclusive)' })
  @IsOptional()
  @IsDateString({ strict: true })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Rated before (exclusive)' })
  @IsOptional()
  @IsDateString({ strict: true })
  until?: string;

  @ApiPropertyOptional({
    enum: ['json', 'ndjson'],
    default: 'json',
    description: 'ndjson exports every match, one rating a line',
  })
  @IsOptional()
  @IsIn(['json', 'ndjson'])
  format?: 'json' | 'ndjson';
}

export class RatedAnswerResponse extends FeedbackResponse {
  @ApiProperty({ format: 'uuid' }) turn_id!: string;
  @ApiProperty({ format: 'uuid' }) conversation_id!: string;
  @ApiProperty({ type: [String], description: 'The KBs the conversation asks' })
  knowledge_base_ids!: string[];
  @ApiProperty({ nullable: true, type: String, description: 'null when the tenant keeps no query text' })
  question!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'null when the tenant keeps no query text' })
  answer!: string | null;
  @ApiProperty({
    description:
      'true when the answer cited a document you may not see: its text is not shown, nor a rated reference to that document',
  })
  withheld!: boolean;
  @ApiProperty() mode!: string;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'The reference the rating names, as the answer gave it',
  })
  reference!: Record<string, unknown> | null;
}

export class RatedAnswerPageResponse {
  @ApiProperty({ type: [RatedAnswerResponse] }) items!: RatedAnswerResponse[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}
