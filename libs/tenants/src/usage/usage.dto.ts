import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { QuotasResponse } from '../dto/quotas.dto';
import { TOKEN_PURPOSES } from './token-usage.repository';

export class UsageQueryDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 366,
    default: 30,
    description: 'How many days of daily counters',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(366)
  days?: number;
}

export class CurrentUsageResponse {
  @ApiProperty() knowledge_bases!: number;
  @ApiProperty() documents!: number;
  @ApiProperty() storage_bytes!: number;
  @ApiProperty() members!: number;
  @ApiProperty({ description: 'Live (not revoked, not expired) keys' }) api_keys!: number;
}

export class DailyUsageResponse {
  @ApiProperty({ example: '2026-11-22' }) day!: string;
  @ApiProperty() queries!: number;
  @ApiProperty() tokens_in!: number;
  @ApiProperty() tokens_out!: number;
  @ApiProperty({
    description: "Tokens of a model provider's embeddings (the embedded embedder's are not counted)",
  })
  embedding_tokens!: number;
  @ApiProperty() bytes_ingested!: number;
  @ApiProperty() documents!: number;
  @ApiProperty({ description: 'Answers rated up that day (by the day of the last change of rating)' })
  answers_up!: number;
  @ApiProperty({ description: 'Answers rated down that day' }) answers_down!: number;
}

export class TokenUsageResponse {
  @ApiProperty({ example: '2026-12-04' }) day!: string;
  @ApiProperty({ format: 'uuid', description: 'The KB the tokens were spent for (a deleted one stays)' })
  kb_id!: string;
  @ApiProperty({ enum: TOKEN_PURPOSES }) purpose!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ description: 'Prompt tokens (embedding tokens for embeddings)' }) tokens_in!: number;
  @ApiProperty({ description: 'Completion tokens' }) tokens_out!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: "null when the tenant's price table leaves the model out",
  })
  cost!: number | null;
}

export class CostResponse {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ description: 'Cost of the priced tokens over the days asked' }) total!: number;
  @ApiProperty({ type: [String], description: 'Models with tokens the price table does not name' })
  unpriced_models!: string[];
}

export class FeedbackUsageResponse {
  @ApiProperty({ description: 'Answers rated up over the days asked' }) up!: number;
  @ApiProperty({ description: 'Answers rated down over the days asked' }) down!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'up / (up + down); null without ratings' })
  up_rate!: number | null;
}

export class UsageResponse {
  @ApiProperty({ type: QuotasResponse }) quotas!: QuotasResponse;
  @ApiProperty({ type: CurrentUsageResponse }) current!: CurrentUsageResponse;
  @ApiProperty({ type: FeedbackUsageResponse }) feedback!: FeedbackUsageResponse;
  @ApiProperty({
    type: [TokenUsageResponse],
    description: 'Tokens per day, KB, purpose and model, newest day first',
  })
  tokens!: TokenUsageResponse[];
  @ApiProperty({ type: CostResponse }) cost!: CostResponse;
  @ApiProperty({ type: [DailyUsageResponse], description: 'Newest first; days without activity are omitted' })
  daily!: DailyUsageResponse[];
}
