import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MAX_DEPTH, MAX_NODES } from '@strata/graph';

/** Labels one LightRAG label route answers at most. */
export const MAX_LIGHTRAG_LABELS = 1000;

export class LightRagGraphQuery {
  @ApiProperty({ description: 'The entity to start from; `*` for the best-connected entities' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  label!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_DEPTH, default: 3 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_DEPTH)
  max_depth?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_NODES, default: MAX_NODES })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_NODES)
  max_nodes?: number;
}

export class LightRagLabelsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_LIGHTRAG_LABELS })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIGHTRAG_LABELS)
  limit?: number;
}

export class LightRagLabelSearchQuery extends LightRagLabelsQuery {
  @ApiProperty({ description: 'Part of the name' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q!: string;
}

export class LightRagEntityExistsQuery {
  @ApiProperty({ description: 'Entity name (any case)' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;
}
