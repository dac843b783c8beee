import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

/** An entity's name in a request: 1 to 200 characters, any case. */
const EntityName = (description: string) =>
  applyDecorators(
    ApiProperty({ description, minLength: 1, maxLength: 200 }),
    IsString(),
    MinLength(1),
    MaxLength(200),
  );

/** What an entity edit may change: LightRAG's `updated_data`, of the fields Strata keeps. */
export class LightRagEntityUpdate {
  @ApiPropertyOptional({ maxLength: 8000 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  description?: string;

  @ApiPropertyOptional({ maxLength: 50, example: 'ORGANIZATION' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  entity_type?: string;

  @ApiPropertyOptional({
    description:
      'A new name (with allow_rename: true): later mentions of the old name go to it; 409 ENTITY_EXISTS when another entity has it',
    minLength: 1,
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  entity_name?: string;
}

export class LightRagEntityEditDto {
  @EntityName('The entity (its name, any case)')
  entity_name!: string;

  @ApiProperty({ type: LightRagEntityUpdate })
  @IsObject()
  @ValidateNested()
  @Type(() => LightRagEntityUpdate)
  updated_data!: LightRagEntityUpdate;

  @ApiPropertyOptional({ description: 'Needed to change the name (400 otherwise)' })
  @IsOptional()
  @IsBoolean()
  allow_rename?: boolean;
}

/** What a relation edit may change: LightRAG's `updated_data`. */
export class LightRagRelationUpdate {
  @ApiPropertyOptional({ maxLength: 8000 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  description?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  keywords?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1_000_000)
  weight?: number;
}

export class LightRagRelationEditDto {
  @EntityName('One end (an entity name)')
  source_id!: string;

  @EntityName('The other end (an entity name)')
  target_id!: string;

  @ApiProperty({ type: LightRagRelationUpdate })
  @IsObject()
  @ValidateNested()
  @Type(() => LightRagRelationUpdate)
  updated_data!: LightRagRelationUpdate;
}

export class LightRagEntityMergeDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 100, description: 'The entities that go' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  entities_to_change!: string[];

  @EntityName('The entity that stays and takes over their mentions and relations')
  entity_to_change_into!: string;
}

/** LightRAG's `entity_data` of a new entity, of the fields Strata keeps. */
export class LightRagEntityData {
  @ApiPropertyOptional({ maxLength: 8000, default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  description?: string;

  @ApiPropertyOptional({ maxLength: 50, default: 'unknown', example: 'ORGANIZATION' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  entity_type?: string;
}

export class LightRagEntityCreateDto {
  @EntityName('The new entity (names are matched in any case)')
  entity_name!: string;

  @ApiProperty({ type: LightRagEntityData })
  @IsObject()
  @ValidateNested()
  @Type(() => LightRagEntityData)
  entity_data!: LightRagEntityData;
}

/** LightRAG's `relation_data` of a new relation. */
export class LightRagRelationData {
  @ApiPropertyOptional({ maxLength: 8000, default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  description?: string;

  @ApiPropertyOptional({ maxLength: 500, default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  keywords?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000, default: 1 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1_000_000)
  weight?: number;
}

export class LightRagRelationCreateDto {
  @EntityName('One end (an entity name)')
  source_entity!: string;

  @EntityName('The other end (an entity name; relations are undirected)')
  target_entity!: string;

  @ApiProperty({ type: LightRagRelationData })
  @IsObject()
  @ValidateNested()
  @Type(() => LightRagRelationData)
  relation_data!: LightRagRelationData;
}

export class LightRagEntityDeleteDto {
  @EntityName('The entity to delete (its name, any case)')
  entity_name!: string;
}

export class LightRagRelationDeleteDto {
  @EntityName('One end (an entity name)')
  source_entity!: string;

  @EntityName('The other end (an entity name)')
  target_entity!: string;
}
