import { Nullable } from '@strata/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export const MAX_DEPTH = 5;
export const MAX_NODES = 1000;

export class SubgraphQuery {
  @ApiPropertyOptional({
    description: 'Entity name to start from; absent or "*": the best-connected entities of the whole KB',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  label?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_DEPTH, default: 2 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_DEPTH)
  max_depth?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_NODES, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_NODES)
  max_nodes?: number;
}

export class LabelsQuery {
  @ApiPropertyOptional({ description: 'Part of the name, any case', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class GraphNode {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The entity name' }) label!: string;
  @ApiProperty() type!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'Relations the entity takes part in' }) degree!: number;
}

export class GraphEdge {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'Node id of one end' }) source!: string;
  @ApiProperty({ format: 'uuid', description: 'Node id of the other end (relations are undirected)' })
  target!: string;
  @ApiProperty() keywords!: string;
  @ApiProperty() description!: string;
  @ApiProperty() weight!: number;
}

export class SubgraphResponse {
  @ApiProperty({ type: [GraphNode] }) nodes!: GraphNode[];
  @ApiProperty({ type: [GraphEdge] }) edges!: GraphEdge[];
  @ApiProperty({ description: 'More entities were within reach than max_nodes' }) is_truncated!: boolean;
}

export class GraphLabel {
  @ApiProperty() name!: string;
  @ApiProperty() degree!: number;
}

export class LabelsResponse {
  @ApiProperty({ type: [GraphLabel], description: 'Best-connected first' }) labels!: GraphLabel[];
}

export class EntityRelation {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The other entity' }) entity!: string;
  @ApiProperty() keywords!: string;
  @ApiProperty() description!: string;
  @ApiProperty() weight!: number;
}

export class SourceDocument {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
}

export class EntityResponse extends GraphNode {
  @ApiProperty({ type: [String], description: 'Chunks the entity was found in' }) source_chunk_ids!: string[];
  @ApiProperty({ type: [SourceDocument] }) documents!: SourceDocument[];
  @ApiProperty({ type: [EntityRelation], description: 'Heaviest first (at most 100)' })
  relations!: EntityRelation[];
}

/** Changes to an entity; null clears an earlier edit (back to what extraction merged). */
export class EntityEditDto {
  @ApiPropertyOptional({
    maxLength: 200,
    description:
      'A new name: renames the entity (409 ENTITY_EXISTS when another entity has it; merge instead), and later mentions of the old name go to it',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ nullable: true, maxLength: 50, example: 'organization' })
  @IsOptional()
  @Nullable()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  type?: string | null;

  @ApiPropertyOptional({ nullable: true, maxLength: 8000 })
  @IsOptional()
  @Nullable()
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  description?: string | null;
}

/** Changes to a relation; null clears an earlier edit. */
export class RelationEditDto {
  @ApiPropertyOptional({ nullable: true, maxLength: 500, example: 'headquarters, location' })
  @IsOptional()
  @Nullable()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  keywords?: string | null;

  @ApiPropertyOptional({ nullable: true, maxLength: 8000 })
  @IsOptional()
  @Nullable()
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  description?: string | null;

  @ApiPropertyOptional({ nullable: true, minimum: 0, maximum: 1000000 })
  @IsOptional()
  @Nullable()
  @IsNumber()
  @Min(0)
  @Max(1_000_000)
  weight?: number | null;
}

export class MergeEntitiesDto {
  @ApiProperty({ description: 'The entity that goes (its name, any case)', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  source!: string;

  @ApiProperty({
    description: 'The entity that stays and takes over its mentions and relations',
    maxLength: 200,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  target!: string;
}

/** An entity an editor creates; kept whatever documents say, until deleted. */
export class CreateEntityDto {
  @ApiProperty({
    description: 'Its name (names are matched in any case)',
    maxLength: 200,
    example: 'Acme Corp',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 50, default: 'unknown', example: 'organization' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  type?: string;

  @ApiPropertyOptional({ maxLength: 8000, default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  description?: string;
}

/** A relation an editor creates between two entities of the graph. */
export class CreateRelationDto {
  @ApiProperty({ description: 'Name of one end (any case)', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  source!: string;

  @ApiProperty({ description: 'Name of the other end (relations are undirected)', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  target!: string;

  @ApiPropertyOptional({ maxLength: 500, default: '', example: 'supplier, contract' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  keywords?: string;

  @ApiPropertyOptional({ maxLength: 8000, default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  description?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1000000, default: 1 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1_000_000)
  weight?: number;
}

export class RelationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Name of one end' }) source!: string;
  @ApiProperty({ description: 'Name of the other end' }) target!: string;
  @ApiProperty() keywords!: string;
  @ApiProperty() description!: string;
  @ApiProperty() weight!: number;
}
