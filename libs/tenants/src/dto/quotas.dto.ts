import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

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
}

export class QuotasResponse {
  @ApiProperty() max_knowledge_bases!: number;
  @ApiProperty() max_documents!: number;
  @ApiProperty() max_storage_bytes!: number;
  @ApiProperty() max_upload_bytes!: number;
  @ApiProperty() queries_per_minute!: number;
  @ApiProperty() requests_per_minute!: number;
  @ApiProperty() max_concurrent_requests!: number;
}
