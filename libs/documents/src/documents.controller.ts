import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiDefaultResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
  getSchemaPath,
  ApiExtraModels,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditAction, AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import {
  BadRequest,
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  ErrorCode,
  ErrorResponse,
  Page,
  PageQueryDto,
} from '@strata/core';
import { KB_PARAM } from '@strata/knowledge-bases';
import { TENANT_PARAM } from '@strata/tenants';
import { TenantContextService } from '@strata/tenancy';
import { DocumentBulkActions } from './bulk/document-bulk-actions.service';
import { DocumentPolicies } from './documents.policies';
import { DocumentsService } from './documents.service';
import { countsWithAll, DocumentStatusReads } from './status/document-status.repository';
import {
  AcceptedDocumentsResponse,
  ChunkPageResponse,
  ChunkResponse,
  CreateDocumentsDto,
  DeletedDocumentsResponse,
  DeleteDocumentsDto,
  DeletingDocumentResponse,
  DocumentPageResponse,
  DocumentStatusCountsResponse,
  DocumentResponse,
  ListDocumentsQuery,
  ReindexResponse,
  TextDocumentDto,
  UpdateDocumentDto,
  MAX_DELETED_BY_FILTER,
} from './dto/document.dto';
import { DocumentAccessLists } from './access/document-access-lists';
import { fileToNewDocument, textsToNewDocuments } from './upload/new-documents';
import { assertWithinUploadQuota, DocumentUploadInterceptor } from './upload/document-upload.interceptor';

const DOC_PARAM = { name: 'docId', description: 'Document uuid' } as const;

const UPLOAD_BODY = {
  description:
    'multipart/form-data with one or many files in `files` (and an optional `metadata` JSON field), ' +
    'or JSON: one text `{title?, text, metadata?}` or several `{documents: [...]}`',
  schema: {
    oneOf: [
      {
        type: 'object',
        properties: {
          files: { type: 'array', items: { type: 'string', format: 'binary' } },
          metadata: { type: 'string', description: 'JSON object applied to every file' },
        },
        required: ['files'],
      },
      { $ref: getSchemaPath(CreateDocumentsDto) },
    ],
  },
};

@ApiTags('documents')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@ApiParam(KB_PARAM)
@ApiExtraModels(CreateDocumentsDto, TextDocumentDto)
@AuditResource('document')
@Controller('tenants/:tenantId/knowledge-bases/:kbId/documents')
export class DocumentsController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly bulk: DocumentBulkActions,
    private readonly statuses: DocumentStatusReads,
    private readonly contexts: TenantContextService,
    private readonly accessLists: DocumentAccessLists,
  ) {}

  @Post()
  @HttpCode(202)
  @UseInterceptors(DocumentUploadInterceptor)
  @CheckPolicies(DocumentPolicies.create)
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody(UPLOAD_BODY)
  @ApiOperation({
    summary: 'Add documents (files or texts); they are processed in the background (editor and up)',
  })
  @ApiAcceptedResponse({ type: AcceptedDocumentsResponse })
  create(@Req() request: Request, @Body() dto: CreateDocumentsDto): Promise<AcceptedDocumentsResponse> {
    return this.accept(request, dto);
  }

  @Post('add')
  @HttpCode(202)
  @AuditAction('document.create')
  @UseInterceptors(DocumentUploadInterceptor)
  @CheckPolicies(DocumentPolicies.create)
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody(UPLOAD_BODY)
  @ApiOperation({ summary: 'Same as POST …/documents (the route of the LightRAG ADR)' })
  @ApiAcceptedResponse({ type: AcceptedDocumentsResponse })
  add(@Req() request: Request, @Body() dto: CreateDocumentsDto): Promise<AcceptedDocumentsResponse> {
    return this.accept(request, dto);
  }

  @Get()
  @CheckPolicies(DocumentPolicies.list)
  @ApiOperation({
    summary:
      'List the documents of the KB: oldest first, or sorted; by status, graph status or words of the title',
  })
  @ApiOkResponse({ type: DocumentPageResponse })
  list(@Query() query: ListDocumentsQuery): Promise<Page<DocumentResponse>> {
    return this.documents.list(
      this.contexts.require(),
      { status: query.status, graphStatus: query.graph_status, q: query.q?.trim() || undefined },
      { sort: query.sort ?? 'created_at', direction: query.order ?? 'asc' },
      decodeCursor(query.cursor),
      query.limit ?? DEFAULT_PAGE_SIZE,
    );
  }

  @Post('reindex')
  @HttpCode(202)
  @AuditAction('knowledge_base.reindex')
  @CheckPolicies(DocumentPolicies.reindex)
  @ApiOperation({
    summary: 'Process every document of the KB again (also moves the KB to the configured embedding model)',
  })
  @ApiAcceptedResponse({ type: ReindexResponse })
  async reindexAll(): Promise<ReindexResponse> {
    return { queued: await this.documents.reindexKnowledgeBase(this.contexts.require()) };
  }

  @Get('status-counts')
  @CheckPolicies(DocumentPolicies.list)
  @ApiOperation({ summary: "The KB's documents per status (documents being deleted left out)" })
  @ApiOkResponse({ type: DocumentStatusCountsResponse })
  async statusCounts(): Promise<DocumentStatusCountsResponse> {
    return countsWithAll(await this.statuses.counts(this.contexts.require().kbScope()));
  }

  @Post('reindex-failed')
  @HttpCode(202)
  @AuditAction('knowledge_base.reindex')
  @CheckPolicies(DocumentPolicies.reindex)
  @ApiOperation({
    summary: 'Process again the documents whose processing or graph stage failed (editor and up)',
  })
  @ApiAcceptedResponse({ type: ReindexResponse })
  async reindexFailed(): Promise<ReindexResponse> {
    return { queued: await this.bulk.reprocessFailed(this.contexts.require(), null) };
  }

  @Post('delete')
  @HttpCode(202)
  @AuditAction('document.delete')
  @CheckPolicies(DocumentPolicies.delete)
  @ApiOperation({
    summary: 'Delete several documents by ids or by a filter (needs delete_documents)',
    description:
      'With `ids`, every id must be a document of the KB, or none is deleted (404). With `filter`, the ' +
      `documents matching all its conditions, at most ${MAX_DELETED_BY_FILTER} a request (\`more\` says to send it again).`,
  })
  @ApiAcceptedResponse({ type: DeletedDocumentsResponse })
  async deleteMany(@Body() dto: DeleteDocumentsDto): Promise<DeletedDocumentsResponse> {
    const context = this.contexts.require();
    if (dto.filter === undefined) {
      const { deleting, deletionId } = await this.bulk.delete(context, dto.ids!);
      return { deleting, more: false, deletion_id: deletionId };
    }
    if (dto.ids !== undefined) {
      throw new BadRequest(ErrorCode.VALIDATION_FAILED, 'Send either ids or filter, not both');
    }
    const { status, q, metadata, created_before: before, created_after: after } = dto.filter;
    const { deleting, deletionId, more } = await this.bulk.deleteMatching(
      context,
      {
        status,
        q: q?.trim() || undefined,
        metadata,
        createdBefore: before === undefined ? undefined : new Date(before),
        createdAfter: after === undefined ? undefined : new Date(after),
      },
      MAX_DELETED_BY_FILTER,
    );
    return { deleting, more, deletion_id: deletionId };
  }

  @Get(':docId')
  @ApiParam(DOC_PARAM)
  @CheckPolicies(DocumentPolicies.read)
  @ApiOperation({ summary: 'Read a document: status, progress, error, counts, hashes, timestamps' })
  @ApiOkResponse({ type: DocumentResponse })
  get(@Param('docId') docId: string): Promise<DocumentResponse> {
    return this.documents.get(this.contexts.require(), docId);
  }

  @Get(':docId/original')
  @ApiParam(DOC_PARAM)
  @CheckPolicies(DocumentPolicies.read)
  @ApiOperation({ summary: 'Download the original as uploaded (a text: its markdown), under its file name' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({
    description: "The original's bytes, with its media type and a Content-Disposition naming the file",
  })
  async original(
    @Param('docId') docId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.documents.original(this.contexts.require(), docId);
    // attachment() would type it by the name's extension: the stored type is the one it was read as.
    res.attachment(file.name).type(file.mimeType);
    return new StreamableFile(file.content, { length: file.content.length });
  }

  @Get(':docId/chunks')
  @ApiParam(DOC_PARAM)
  @CheckPolicies(DocumentPolicies.read)
  @ApiOperation({ summary: "A document's chunks in reading order" })
  @ApiOkResponse({ type: ChunkPageResponse })
  chunks(@Param('docId') docId: string, @Query() query: PageQueryDto): Promise<Page<ChunkResponse>> {
    return this.documents.chunks(
      this.contexts.require(),
      docId,
      decodeCursor(query.cursor),
      query.limit ?? DEFAULT_PAGE_SIZE,
    );
  }

  @Patch(':docId')
  @ApiParam(DOC_PARAM)
  @CheckPolicies(DocumentPolicies.update)
  @ApiOperation({
    summary:
      "Change a document's title, metadata or access list, without processing it again (editor and up)",
    description:
      'Omitted fields keep their value; `access: null` opens the document to everyone who may read the KB. ' +
      'An editor must stay on the list they set (a tenant admin sees every document).',
  })
  @ApiOkResponse({ type: DocumentResponse })
  async update(@Param('docId') docId: string, @Body() dto: UpdateDocumentDto): Promise<DocumentResponse> {
    const context = this.contexts.require();
    const access = dto.access === undefined ? undefined : await this.accessLists.check(context, dto.access);
    return this.documents.update(context, docId, { title: dto.title, metadata: dto.metadata, access });
  }

  @Post(':docId/cancel')
  @HttpCode(200)
  @ApiParam(DOC_PARAM)
  @AuditAction('document.cancel')
  @CheckPolicies(DocumentPolicies.reindex)
  @ApiOperation({
    summary:
      'Stop a pending or processing document: it ends failed ("Cancelled"), to reindex or delete later',
  })
  @ApiOkResponse({ type: DocumentResponse })
  cancel(@Param('docId') docId: string): Promise<DocumentResponse> {
    return this.documents.cancel(this.contexts.require(), docId);
  }

  @Post(':docId/reindex')
  @HttpCode(202)
  @ApiParam(DOC_PARAM)
  @AuditAction('document.reindex')
  @CheckPolicies(DocumentPolicies.reindex)
  @ApiOperation({ summary: 'Process the document again from its stored original' })
  @ApiAcceptedResponse({ type: DocumentResponse })
  reindex(@Param('docId') docId: string): Promise<DocumentResponse> {
    return this.documents.reindex(this.contexts.require(), docId);
  }

  @Delete(':docId')
  @HttpCode(202)
  @ApiParam(DOC_PARAM)
  @CheckPolicies(DocumentPolicies.delete)
  @ApiOperation({
    summary: 'Delete a document with its chunks, vectors and original (needs delete_documents)',
    description:
      'Answers at once with status `deleting` and a receipt (`deletion_id`); the document disappears when ' +
      'every store is clean, which GET …/deletions/{deletion_id} verifies store by store.',
  })
  @ApiAcceptedResponse({ type: DeletingDocumentResponse })
  delete(@Param('docId') docId: string): Promise<DeletingDocumentResponse> {
    return this.documents.delete(this.contexts.require(), docId);
  }

  private async accept(request: Request, dto: CreateDocumentsDto): Promise<AcceptedDocumentsResponse> {
    const context = this.contexts.require();
    const files = (request.files as Express.Multer.File[] | undefined) ?? [];
    let inputs;
    if (request.is('multipart/form-data')) {
      if (files.length === 0) {
        throw new BadRequest(
          ErrorCode.NO_DOCUMENTS,
          'The form holds no file: send files in the field "files"',
        );
      }
      const access = await this.accessLists.check(context, dto.access);
      inputs = files.map((file) => ({ ...fileToNewDocument(file, dto.metadata ?? {}), access }));
    } else {
      inputs = textsToNewDocuments(dto);
      assertWithinUploadQuota(inputs, context.quotas.max_upload_bytes);
      // A text's own list (null included: the whole KB) replaces the shared one.
      const requested = inputs.map((_, i) => {
        const own = dto.documents?.[i]?.access;
        return own === undefined ? dto.access : own;
      });
      const lists = await this.accessLists.checkAll(context, requested);
      for (const [i, input] of inputs.entries()) input.access = lists[i];
    }
    return { documents: await this.documents.add(context, inputs) };
  }
}
