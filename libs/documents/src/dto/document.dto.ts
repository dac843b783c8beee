import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsJsonObject, PageQueryDto } from '@strata/core';
import {
  DOCUMENT_STATUSES,
  DocumentRecord,
  DocumentStatus,
  GRAPH_STATUSES,
  GraphStatus,
} from '../entities/document.entity';
import type { ChunkRecord } from '../entities/chunk.entity';
import { DOCUMENT_SORTS, type DocumentSort } from '../list/document-list.repository';

export const MAX_DOCUMENT_METADATA_BYTES = 16 * 1024;
export const MAX_DOCUMENTS_PER_REQUEST = 100;
export const MAX_ACCESS_ENTRIES = 100;
export const MAX_DELETED_BY_FILTER = 1000;

/** Who may see a document besides tenant admins: these groups and these members. */
export class DocumentAccessDto {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_ACCESS_ENTRIES,
    description: 'Group ids',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ACCESS_ENTRIES)
  @IsUUID('all', { each: true })
  group_ids?: string[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_ACCESS_ENTRIES,
    description: 'User ids of members',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ACCESS_ENTRIES)
  @IsUUID('all', { each: true })
  user_ids?: string[];
}

const ACCESS_DESCRIPTION =
  'Who may see the document besides tenant admins; absent or null: everyone who may read the KB. ' +
  'A document others may not see answers 404 to them, and no search, graph, answer or list shows anything of it.';

/** An optional access list in a request body (null: the whole KB); `more` adds to its description. */
const AccessListField = (more: string) =>
  applyDecorators(
    ApiPropertyOptional({
      type: DocumentAccessDto,
      nullable: true,
      description: `${ACCESS_DESCRIPTION}${more}`,
    }),
    IsOptional(),
    ValidateNested(),
    Type(() => DocumentAccessDto),
  );

/** What a response shows of an access list. */
export class DocumentAccessResponse {
  @ApiProperty({ type: [String], format: 'uuid' }) group_ids!: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) user_ids!: string[];
}

export class TextDocumentDto {
  @ApiPropertyOptional({ example: 'Travel policy', description: 'Defaults to the first line of the text' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  title?: string;

  @ApiProperty({ description: 'The document text (plain text or markdown)' })
  @IsString()
  @MinLength(1)
  text!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Free JSON, up to 16 KiB' })
  @IsOptional()
  @IsJsonObject(MAX_DOCUMENT_METADATA_BYTES)
  metadata?: Record<string, unknown>;

  @AccessListField('')
  access?: DocumentAccessDto | null;
}

/** Either one document (`text`, ...) or several (`documents: [...]`). */
export class CreateDocumentsDto {
  @ApiPropertyOptional({ type: [TextDocumentDto], maxItems: MAX_DOCUMENTS_PER_REQUEST })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_DOCUMENTS_PER_REQUEST)
  @ValidateNested({ each: true })
  @Type(() => TextDocumentDto)
  documents?: TextDocumentDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  text?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsJsonObject(MAX_DOCUMENT_METADATA_BYTES)
  metadata?: Record<string, unknown>;

  @AccessListField(' Applies to every document of the request that names none of its own.')
  access?: DocumentAccessDto | null;
}

export class ListDocumentsQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Words the title or file name contains (any case)', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: DOCUMENT_SORTS, default: 'created_at' })
  @IsOptional()
  @IsIn(DOCUMENT_SORTS)
  sort?: DocumentSort;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({ enum: DOCUMENT_STATUSES })
  @IsOptional()
  @IsIn(DOCUMENT_STATUSES)
  status?: DocumentStatus;

  @ApiPropertyOptional({ enum: GRAPH_STATUSES, description: 'Only documents whose graph stage is this' })
  @IsOptional()
  @IsIn(GRAPH_STATUSES)
  graph_status?: GraphStatus;
}

export class AcceptedDocument {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: DOCUMENT_STATUSES }) status!: DocumentStatus;
  @ApiProperty({
    description: 'true when this content was already in the KB: the existing document is returned',
  })
  duplicate!: boolean;
}

export class AcceptedDocumentsResponse {
  @ApiProperty({ type: [AcceptedDocument] }) documents!: AcceptedDocument[];
}

export class DocumentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) knowledge_base_id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ nullable: true, type: String }) source_name!: string | null;
  @ApiProperty() mime_type!: string;
  @ApiProperty() size_bytes!: number;
  @ApiProperty({ nullable: true, type: String, description: 'SHA-256 of the normalised text, once parsed' })
  content_hash!: string | null;
  @ApiProperty({ enum: DOCUMENT_STATUSES }) status!: DocumentStatus;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress!: number;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({
    enum: GRAPH_STATUSES,
    description:
      'The knowledge-graph stage, built after the document is processed (searchable): pending, building, done, failed (see graph_error; the document stays searchable) or skipped (the KB does not extract)',
  })
  graph_status!: GraphStatus;
  @ApiProperty({ nullable: true, type: String, description: 'Why the graph stage failed' })
  graph_error!: string | null;
  @ApiProperty() chunk_count!: number;
  @ApiProperty() token_count!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
  @ApiProperty({
    type: DocumentAccessResponse,
    nullable: true,
    description: 'Who may see it besides tenant admins; null: everyone who may read the KB',
  })
  access!: DocumentAccessResponse | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Shared by the documents one LightRAG-compatible request added or reprocessed',
  })
  track_id!: string | null;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;
  @ApiProperty({ nullable: true, type: String }) processed_at!: string | null;

  static from(doc: DocumentRecord): DocumentResponse {
    return {
      id: doc.id,
      knowledge_base_id: doc.kbId,
      title: doc.title,
      source_name: doc.sourceName,
      mime_type: doc.mimeType,
      size_bytes: doc.sizeBytes,
      content_hash: doc.contentHash,
      status: doc.status,
      progress: doc.progress,
      error: doc.error,
      graph_status: doc.graphStatus,
      graph_error: doc.graphError,
      chunk_count: doc.chunkCount,
      token_count: doc.tokenCount,
      metadata: doc.metadata,
      access: doc.accessRestricted ? { group_ids: doc.accessGroupIds, user_ids: doc.accessUserIds } : null,
      track_id: doc.trackId,
      created_at: doc.createdAt.toISOString(),
      updated_at: doc.updatedAt.toISOString(),
      processed_at: doc.processedAt?.toISOString() ?? null,
    };
  }
}

/** DELETE answers the document as it now stands (`deleting`) and the request's receipt. */
export class DeletingDocumentResponse extends DocumentResponse {
  @ApiProperty({
    format: 'uuid',
    description:
      'The receipt: GET …/deletions/{deletion_id} reports what each store still holds of the document',
  })
  deletion_id!: string;
}

export class DocumentPageResponse {
  @ApiProperty({ type: [DocumentResponse] }) items!: DocumentResponse[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}

export class ChunkResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) document_id!: string;
  @ApiProperty() ordinal!: number;
  @ApiProperty() content!: string;
  @ApiProperty() token_count!: number;
  @ApiProperty({ nullable: true, type: String }) heading!: string | null;

  static from(chunk: ChunkRecord): ChunkResponse {
    return {
      id: chunk.id,
      document_id: chunk.documentId,
      ordinal: chunk.ordinal,
      content: chunk.content,
      token_count: chunk.tokenCount,
      heading: chunk.heading,
    };
  }
}

export class ChunkPageResponse {
  @ApiProperty({ type: [ChunkResponse] }) items!: ChunkResponse[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}

export class DocumentStatusCountsResponse {
  @ApiProperty() pending!: number;
  @ApiProperty() processing!: number;
  @ApiProperty() processed!: number;
  @ApiProperty() failed!: number;
  @ApiProperty({ description: 'Every document of the KB not being deleted' }) all!: number;
}

/** Which documents a bulk delete takes besides their ids: every condition given must hold. */
export class DocumentFilterDto {
  @ApiPropertyOptional({ enum: DOCUMENT_STATUSES.filter((s) => s !== 'deleting') })
  @IsOptional()
  @IsIn(DOCUMENT_STATUSES.filter((s) => s !== 'deleting'))
  status?: Exclude<DocumentStatus, 'deleting'>;

  @ApiPropertyOptional({ description: 'Words the title or file name contains (any case)', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Metadata containing this JSON',
  })
  @IsOptional()
  @IsJsonObject(MAX_DOCUMENT_METADATA_BYTES)
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({ format: 'date-time', description: 'Added before this time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  created_before?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Added at or after this time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  created_after?: string;
}

export class DeleteDocumentsDto {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: 1000,
    description: 'These documents (send `ids` or `filter`)',
  })
  @ValidateIf((dto: DeleteDocumentsDto) => dto.filter === undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ArrayUnique({ message: 'ids must be unique' })
  @IsUUID('all', { each: true })
  ids?: string[];

  @ApiPropertyOptional({
    type: DocumentFilterDto,
    description: `The documents matching this, at most ${MAX_DELETED_BY_FILTER} a request (send \`ids\` or \`filter\`)`,
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => DocumentFilterDto)
  filter?: DocumentFilterDto;
}

export class DeletedDocumentsResponse {
  @ApiProperty({
    type: [String],
    description: 'The documents newly marked for deletion (one already going is not)',
  })
  deleting!: string[];
  @ApiProperty({ description: 'A filter matched more documents than one request deletes: send it again' })
  more!: boolean;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description:
      'The receipt (null when nothing was taken): GET …/deletions/{deletion_id} reports what each store still holds of the documents',
  })
  deletion_id!: string | null;
}

export class ReindexResponse {
  @ApiProperty({ description: 'Documents queued for processing again' }) queued!: number;
}

/** What PATCH changes; omitted fields keep their value. Nothing is processed again. */
export class UpdateDocumentDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  title?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Replaces the metadata (free JSON, up to 16 KiB); query filters see it at once',
  })
  @IsOptional()
  @IsJsonObject(MAX_DOCUMENT_METADATA_BYTES)
  metadata?: Record<string, unknown>;

  @AccessListField(' null opens the document to the whole KB.')
  access?: DocumentAccessDto | null;
}
