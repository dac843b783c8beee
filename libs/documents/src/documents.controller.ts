import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
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
  ApiTags,
  getSchemaPath,
  ApiExtraModels,
} from '@nestjs/swagger';
import type { Request } from 'express';
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
import { DocumentPolicies } from './documents.policies';
import { DocumentsService } from './documents.service';
import {
  AcceptedDocumentsResponse,
  ChunkPageResponse,
  ChunkResponse,
  CreateDocumentsDto,
  DocumentPageResponse,
  DocumentResponse,
  ListDocumentsQuery,
  ReindexResponse,
  TextDocumentDto,
} from './dto/document.dto';
import { fileToNewDocument, textsToNewDocuments } from './upload/new-documents';
import { DocumentUploadInterceptor, uploadTooLarge } from './upload/document-upload.interceptor';

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
    private readonly contexts: TenantContextService,
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
  @ApiOperation({ summary: 'List the documents of the KB, oldest first' })
  @ApiOkResponse({ type: DocumentPageResponse })
  list(@Query() query: ListDocumentsQuery): Promise<Page<DocumentResponse>> {
    return this.documents.list(
      this.contexts.require(),
      { status: query.status, graphStatus: query.graph_status },
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

  @Get(':docId')
  @ApiParam(DOC_PARAM)
  @CheckPolicies(DocumentPolicies.read)
  @ApiOperation({ summary: 'Read a document: status, progress, error, counts, hashes, timestamps' })
  @ApiOkResponse({ type: DocumentResponse })
  get(@Param('docId') docId: string): Promise<DocumentResponse> {
    return this.documents.get(this.contexts.require(), docId);
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
    description: 'Answers at once with status `deleting`; the document disappears when every store is clean.',
  })
  @ApiAcceptedResponse({ type: DocumentResponse })
  delete(@Param('docId') docId: string): Promise<DocumentResponse> {
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
      inputs = files.map((file) => fileToNewDocument(file, dto.metadata ?? {}));
    } else {
      inputs = textsToNewDocuments(dto);
      const bytes = inputs.reduce((sum, input) => sum + input.content.length, 0);
      if (bytes > context.quotas.max_upload_bytes) throw uploadTooLarge(context.quotas.max_upload_bytes);
    }
    return { documents: await this.documents.add(context, inputs) };
  }
}
