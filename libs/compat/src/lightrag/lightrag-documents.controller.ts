import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Req,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { AuditAction, AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import { BadRequest, ErrorCode } from '@strata/core';
import {
  assertWithinUploadQuota,
  countsWithAll,
  DocumentBulkActions,
  DocumentPolicies,
  DocumentsService,
  DocumentStatusReads,
  type DocumentStatusRow,
  DocumentUploadInterceptor,
  fileToNewDocument,
  LISTED_STATUSES,
  type NewDocument,
  textsToNewDocuments,
  UploadFilesField,
} from '@strata/documents';
import { KB_PARAM } from '@strata/knowledge-bases';
import { TENANT_PARAM } from '@strata/tenants';
import { TenantContextService } from '@strata/tenancy';
import {
  LightRagDeleteDocumentsDto,
  LightRagDocumentsPageDto,
  LightRagInsertTextDto,
  LightRagInsertTextsDto,
} from './dto/lightrag-documents.dto';
import { LightRagErrorFilter } from './lightrag-error.filter';
import {
  insertResponse,
  type LightRagDocStatus,
  type LightRagInsertResponse,
  lightRagDocStatus,
  newTrackId,
  pipelineStatus,
  SORT_COLUMNS,
} from './lightrag-documents';

/** Documents the deprecated `GET /documents` answers at most, as LightRAG's server does. */
const MAX_STATUS_LIST = 1000;
/** Documents one track answers at most. */
const MAX_TRACK_DOCUMENTS = 1000;
const MAX_TRACK_ID_CHARS = 100;

/**
 * LightRAG's document routes over one KB (what its web UI and scripts call to add, list, follow
 * and delete documents), with Strata's credentials, policies, quotas and audit trail. Documents
 * one request adds share a track id.
 */
@ApiTags('lightrag-compatible')
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@ApiParam(KB_PARAM)
@AuditResource('document')
@UseFilters(LightRagErrorFilter)
@Controller('tenants/:tenantId/knowledge-bases/:kbId/lightrag/documents')
export class LightRagDocumentsController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly bulk: DocumentBulkActions,
    private readonly reads: DocumentStatusReads,
    private readonly contexts: TenantContextService,
  ) {}

  @Post('text')
  @HttpCode(200)
  @CheckPolicies(DocumentPolicies.create)
  @ApiOperation({ summary: 'Add a text (editor and up); processed in the background' })
  @ApiOkResponse({ description: '`{status: success|duplicated, message, track_id, strata: {documents}}`' })
  text(@Body() dto: LightRagInsertTextDto): Promise<LightRagInsertResponse> {
    return this.insertTexts([dto.text], [dto.file_source]);
  }

  @Post('texts')
  @HttpCode(200)
  @CheckPolicies(DocumentPolicies.create)
  @ApiOperation({ summary: 'Add several texts (editor and up); processed in the background' })
  @ApiOkResponse({
    description: '`{status: success|duplicated|partial_success, message, track_id, strata: {documents}}`',
  })
  texts(@Body() dto: LightRagInsertTextsDto): Promise<LightRagInsertResponse> {
    return this.insertTexts(dto.texts, dto.file_sources ?? []);
  }

  @Post('upload')
  @HttpCode(200)
  @UploadFilesField('file')
  @UseInterceptors(DocumentUploadInterceptor)
  @CheckPolicies(DocumentPolicies.create)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { file: { type: 'string', format: 'binary' } },
      required: ['file'],
    },
  })
  @ApiOperation({ summary: 'Upload a file (editor and up); processed in the background' })
  @ApiOkResponse({ description: '`{status: success|duplicated, message, track_id, strata: {documents}}`' })
  async upload(@Req() request: Request): Promise<LightRagInsertResponse> {
    const files = (request.files as Express.Multer.File[] | undefined) ?? [];
    if (files.length === 0) {
      throw new BadRequest(
        ErrorCode.NO_DOCUMENTS,
        'The form holds no file: send the file in the field "file"',
      );
    }
    const trackId = newTrackId('upload');
    return this.insert(
      files.map((file) => ({ ...fileToNewDocument(file, {}), trackId })),
      trackId,
    );
  }

  @Get()
  @CheckPolicies(DocumentPolicies.list)
  @ApiOperation({
    summary: `Documents grouped by status, at most ${MAX_STATUS_LIST} (LightRAG deprecates it for /paginated)`,
  })
  @ApiOkResponse({
    description: '`{statuses: {pending: [...], processing: [...], processed: [...], failed: [...]}}`',
  })
  async statuses(): Promise<{ statuses: Partial<Record<string, LightRagDocStatus[]>> }> {
    const scope = this.contexts.require().kbScope();
    const perStatus = await Promise.all(
      LISTED_STATUSES.map(async (status) => {
        const { documents } = await this.reads.page(scope, {
          status,
          orderBy: 'updatedAt',
          direction: 'DESC',
          offset: 0,
          limit: MAX_STATUS_LIST,
        });
        return documents;
      }),
    );
    // Taken in turns across the statuses, so that a long list of one leaves room for the others.
    const taken: DocumentStatusRow[][] = LISTED_STATUSES.map(() => []);
    for (let i = 0, n = 0; n < MAX_STATUS_LIST && perStatus.some((docs) => docs.length > i); i++) {
      perStatus.forEach((docs, s) => {
        if (i < docs.length && n < MAX_STATUS_LIST) {
          taken[s].push(docs[i]);
          n++;
        }
      });
    }
    const shaped = await this.shape(taken.flat());
    const statuses: Partial<Record<string, LightRagDocStatus[]>> = {};
    for (const doc of shaped) (statuses[doc.status] ??= []).push(doc);
    return { statuses };
  }

  @Post('paginated')
  @HttpCode(200)
  @AuditAction('document.list')
  @CheckPolicies(DocumentPolicies.list)
  @ApiOperation({ summary: 'A numbered page of documents, with the counts per status' })
  @ApiOkResponse({
    description:
      '`{documents: [...], pagination: {page, page_size, total_count, total_pages, has_next, has_prev}, status_counts}`',
  })
  async paginated(@Body() dto: LightRagDocumentsPageDto) {
    const scope = this.contexts.require().kbScope();
    const page = dto.page ?? 1;
    const pageSize = dto.page_size ?? 50;
    const filter = dto.status_filter ?? undefined;
    const [{ documents, total }, counts] = await Promise.all([
      filter === 'preprocessed'
        ? { documents: [], total: 0 }
        : this.reads.page(scope, {
            status: filter,
            orderBy: SORT_COLUMNS[dto.sort_field ?? 'updated_at'],
            direction: dto.sort_direction === 'asc' ? 'ASC' : 'DESC',
            offset: (page - 1) * pageSize,
            limit: pageSize,
          }),
      this.reads.counts(scope),
    ]);
    const totalPages = Math.ceil(total / pageSize);
    return {
      documents: await this.shape(documents),
      pagination: {
        page,
        page_size: pageSize,
        total_count: total,
        total_pages: totalPages,
        has_next: page < totalPages,
        has_prev: page > 1,
      },
      status_counts: countsWithAll(counts),
    };
  }

  @Get('status_counts')
  @CheckPolicies(DocumentPolicies.list)
  @ApiOperation({ summary: 'Documents per status, and `all`' })
  @ApiOkResponse({ description: '`{status_counts: {pending, processing, processed, failed, all}}`' })
  async counts(): Promise<{ status_counts: Record<string, number> }> {
    return { status_counts: countsWithAll(await this.reads.counts(this.contexts.require().kbScope())) };
  }

  @Get('pipeline_status')
  @CheckPolicies(DocumentPolicies.list)
  @ApiOperation({ summary: "Whether the KB's documents are being processed, in LightRAG's pipeline shape" })
  @ApiOkResponse({ description: '`{autoscanned, busy, job_name, job_start, docs, batchs, cur_batch, …}`' })
  async pipeline() {
    return pipelineStatus(await this.reads.inFlight(this.contexts.require().kbScope()));
  }

  @Get('track_status/:track_id')
  @ApiParam({ name: 'track_id', description: 'A track id an insert, upload or reprocessing answered' })
  @CheckPolicies(DocumentPolicies.list)
  @ApiOperation({ summary: 'The documents of a track id and their statuses' })
  @ApiOkResponse({ description: '`{track_id, documents: [...], total_count, status_summary}`' })
  async track(@Param('track_id') trackId: string) {
    if (trackId.trim().length === 0 || trackId.length > MAX_TRACK_ID_CHARS) {
      throw new BadRequest(
        ErrorCode.VALIDATION_FAILED,
        `A track id has 1 to ${MAX_TRACK_ID_CHARS} characters`,
      );
    }
    const scope = this.contexts.require().kbScope();
    const documents = await this.shape(await this.reads.ofTrack(scope, trackId, MAX_TRACK_DOCUMENTS));
    const summary: Record<string, number> = {};
    for (const doc of documents) summary[doc.status] = (summary[doc.status] ?? 0) + 1;
    return { track_id: trackId, documents, total_count: documents.length, status_summary: summary };
  }

  @Delete('delete_document')
  @HttpCode(200)
  @CheckPolicies(DocumentPolicies.delete)
  @ApiOperation({
    summary:
      'Delete documents by id (needs delete_documents); every id must be one of the KB, or none is deleted',
  })
  @ApiOkResponse({ description: '`{status: deletion_started, message, doc_id}`' })
  async deleteDocuments(@Body() dto: LightRagDeleteDocumentsDto) {
    const { deleting: marked } = await this.bulk.delete(this.contexts.require(), dto.doc_ids);
    return {
      status: 'deletion_started' as const,
      message: `Deletion of ${dto.doc_ids.length} document${dto.doc_ids.length === 1 ? '' : 's'} started (${marked.length} newly); it continues in the background.`,
      doc_id: dto.doc_ids.join(', '),
    };
  }

  @Delete()
  @HttpCode(200)
  @AuditAction('knowledge_base.clear')
  @CheckPolicies(DocumentPolicies.delete)
  @ApiOperation({
    summary: 'Delete every document of the KB, with its graph contribution (needs delete_documents)',
  })
  @ApiOkResponse({ description: '`{status: success, message}`' })
  async clear() {
    const count = (await this.bulk.clear(this.contexts.require())).deleting.length;
    return {
      status: 'success' as const,
      message: `Deletion of ${count} document${count === 1 ? '' : 's'} started; it continues in the background.`,
    };
  }

  @Post('reprocess_failed')
  @HttpCode(200)
  @AuditAction('knowledge_base.reindex')
  @CheckPolicies(DocumentPolicies.reindex)
  @ApiOperation({
    summary: 'Process again every document whose processing or graph stage failed (editor and up)',
  })
  @ApiOkResponse({ description: '`{status: reprocessing_started, message, track_id}`' })
  async reprocessFailed() {
    const trackId = newTrackId('reprocess');
    const count = await this.bulk.reprocessFailed(this.contexts.require(), trackId);
    return {
      status: 'reprocessing_started' as const,
      message: `${count} failed document${count === 1 ? '' : 's'} will be processed again in the background.`,
      track_id: trackId,
    };
  }

  private insertTexts(texts: string[], sources: Array<string | undefined>): Promise<LightRagInsertResponse> {
    const trackId = newTrackId('insert');
    const documents = texts.map((text, i) => {
      const source = sources[i]?.trim();
      return { text: text.trim(), ...(source ? { title: source } : {}) };
    });
    const inputs = textsToNewDocuments({ documents }).map((input, i) => ({
      ...input,
      sourceName: sources[i]?.trim() || null,
      trackId,
    }));
    assertWithinUploadQuota(inputs, this.contexts.require().quotas.max_upload_bytes);
    return this.insert(inputs, trackId);
  }

  private async insert(inputs: NewDocument[], trackId: string): Promise<LightRagInsertResponse> {
    return insertResponse(await this.documents.add(this.contexts.require(), inputs), trackId);
  }

  private async shape(documents: DocumentStatusRow[]): Promise<LightRagDocStatus[]> {
    const openings = await this.reads.openings(
      this.contexts.require().kbScope(),
      documents.map((d) => d.id),
    );
    return documents.map((doc) => lightRagDocStatus(doc, openings.get(doc.id)));
  }
}
