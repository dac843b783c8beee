import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MAX_DOCUMENTS_PER_REQUEST } from '@strata/documents';

/** LightRAG's document statuses; `preprocessed` (a LightRAG pipeline stage) has no Strata documents. */
export const LIGHTRAG_DOC_STATUSES = [
  'pending',
  'processing',
  'preprocessed',
  'processed',
  'failed',
] as const;
export type LightRagDocStatus = (typeof LIGHTRAG_DOC_STATUSES)[number];

const SOURCE = { description: 'Where the text comes from (a file name): the document title', maxLength: 500 };
/** Not blank: LightRAG strips texts and refuses empty ones. */
const VISIBLE = /\S/;

export class LightRagInsertTextDto {
  @ApiProperty({ description: 'The text to add', minLength: 1 })
  @IsString()
  @Matches(VISIBLE, { message: 'text must not be empty' })
  text!: string;

  @ApiPropertyOptional(SOURCE)
  @IsOptional()
  @IsString()
  @MaxLength(500)
  file_source?: string;
}

export class LightRagInsertTextsDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: MAX_DOCUMENTS_PER_REQUEST })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_DOCUMENTS_PER_REQUEST)
  @IsString({ each: true })
  @Matches(VISIBLE, { each: true, message: 'each of texts must not be empty' })
  texts!: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'A source per text, in the same order (fewer is fine)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_DOCUMENTS_PER_REQUEST)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  file_sources?: string[];
}

export const LIGHTRAG_SORT_FIELDS = ['created_at', 'updated_at', 'id', 'file_path'] as const;
export type LightRagSortField = (typeof LIGHTRAG_SORT_FIELDS)[number];

export class LightRagDocumentsPageDto {
  @ApiPropertyOptional({
    enum: LIGHTRAG_DOC_STATUSES,
    nullable: true,
    description: 'null or absent: every status',
  })
  @IsOptional()
  @IsIn(LIGHTRAG_DOC_STATUSES)
  status_filter?: LightRagDocStatus | null;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ minimum: 10, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(200)
  page_size?: number;

  @ApiPropertyOptional({ enum: LIGHTRAG_SORT_FIELDS, default: 'updated_at' })
  @IsOptional()
  @IsIn(LIGHTRAG_SORT_FIELDS)
  sort_field?: LightRagSortField;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  sort_direction?: 'asc' | 'desc';
}

export class LightRagDeleteDocumentsDto {
  @ApiProperty({ type: [String], minItems: 1, description: 'Document ids (Strata document uuids)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ArrayUnique({ message: 'doc_ids must be unique' })
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  doc_ids!: string[];

  @ApiPropertyOptional({
    default: false,
    description: "Accepted for LightRAG's clients; a Strata document's original always goes with it",
  })
  @IsOptional()
  @IsBoolean()
  delete_file?: boolean;
}
