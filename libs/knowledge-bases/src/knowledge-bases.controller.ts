import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiDefaultResponse,
} from '@nestjs/swagger';
import { AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, ErrorResponse } from '@strata/core';
import { TENANT_PARAM } from '@strata/tenants';
import { TenantContextService } from '@strata/tenancy';
import {
  CreateKnowledgeBaseDto,
  KnowledgeBasePageResponse,
  KnowledgeBaseResponse,
  ListKnowledgeBasesQuery,
  UpdateKnowledgeBaseDto,
} from './dto/knowledge-base.dto';
import { KnowledgeBasePolicies } from './knowledge-bases.policies';
import { KnowledgeBasesService } from './knowledge-bases.service';

export const KB_PARAM = { name: 'kbId', description: 'Knowledge base uuid or slug' } as const;

@ApiTags('knowledge-bases')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@AuditResource('knowledge_base')
@Controller('tenants/:tenantId/knowledge-bases')
export class KnowledgeBasesController {
  constructor(
    private readonly kbs: KnowledgeBasesService,
    private readonly contexts: TenantContextService,
  ) {}

  @Post()
  @CheckPolicies(KnowledgeBasePolicies.create)
  @ApiOperation({ summary: 'Create a knowledge base (tenant admin, or an editor with create_kb)' })
  @ApiCreatedResponse({ type: KnowledgeBaseResponse })
  create(@Body() dto: CreateKnowledgeBaseDto): Promise<KnowledgeBaseResponse> {
    return this.kbs.create(this.contexts.require(), dto);
  }

  @Get()
  @CheckPolicies(KnowledgeBasePolicies.list)
  @ApiOperation({ summary: 'List the knowledge bases the caller may use' })
  @ApiOkResponse({ type: KnowledgeBasePageResponse })
  list(@Query() query: ListKnowledgeBasesQuery): Promise<Page<KnowledgeBaseResponse>> {
    return this.kbs.list(
      this.contexts.require(),
      { status: query.status },
      decodeCursor(query.cursor),
      query.limit ?? DEFAULT_PAGE_SIZE,
    );
  }

  @Get(':kbId')
  @ApiParam(KB_PARAM)
  @CheckPolicies(KnowledgeBasePolicies.read)
  @ApiOperation({ summary: 'Read a knowledge base' })
  @ApiOkResponse({ type: KnowledgeBaseResponse })
  get(): Promise<KnowledgeBaseResponse> {
    return this.kbs.get(this.contexts.require());
  }

  @Patch(':kbId')
  @ApiParam(KB_PARAM)
  @CheckPolicies(KnowledgeBasePolicies.update)
  @ApiOperation({ summary: 'Change name, description, status (archive), config or metadata (tenant admin)' })
  @ApiOkResponse({ type: KnowledgeBaseResponse })
  update(@Body() dto: UpdateKnowledgeBaseDto): Promise<KnowledgeBaseResponse> {
    return this.kbs.update(this.contexts.require(), dto);
  }

  @Delete(':kbId')
  @HttpCode(204)
  @ApiParam(KB_PARAM)
  @CheckPolicies(KnowledgeBasePolicies.delete)
  @ApiOperation({ summary: 'Delete a knowledge base and its content (tenant admin)' })
  @ApiNoContentResponse()
  async delete(): Promise<void> {
    await this.kbs.delete(this.contexts.require());
  }
}
