import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Logger,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiDefaultResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditAction, AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import { ErrorResponse, type Page, type RequestWithId } from '@strata/core';
import { ANSWER_STREAM_DESCRIPTION, QueryService, sendAnswer } from '@strata/query';
import { CountsAsQuery, TENANT_PARAM } from '@strata/tenants';
import { TenantContextService } from '@strata/tenancy';
import { ConversationExport } from './conversation-export.service';
import { ConversationPolicies } from './conversations.policies';
import { ConversationsService } from './conversations.service';
import {
  ConversationAnswerResponse,
  ConversationDetailResponse,
  ConversationMessageDto,
  ConversationPageResponse,
  ConversationResponse,
  CreateConversationDto,
  ExportConversationsQueryDto,
  ListConversationsQueryDto,
  UpdateConversationDto,
} from './dto/conversation.dto';

const CONVERSATION_PARAM = { name: 'conversationId', description: 'Conversation uuid' } as const;

@ApiTags('conversations')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@AuditResource('conversation')
@Controller('tenants/:tenantId/conversations')
export class ConversationsController {
  private readonly logger = new Logger(ConversationsController.name);

  constructor(
    private readonly conversations: ConversationsService,
    private readonly exports: ConversationExport,
    private readonly queries: QueryService,
    private readonly contexts: TenantContextService,
  ) {}

  @Post()
  @AuditAction('conversation.create')
  @CheckPolicies(ConversationPolicies.create)
  @ApiOperation({ summary: 'Start a conversation with one or more KBs (needs run_queries in each)' })
  @ApiCreatedResponse({ type: ConversationDetailResponse })
  create(@Body() dto: CreateConversationDto): Promise<ConversationResponse> {
    return this.conversations.create(this.contexts.require(), dto);
  }

  @Get()
  @CheckPolicies(ConversationPolicies.list)
  @ApiOperation({ summary: 'The caller’s own conversations, newest first' })
  @ApiOkResponse({ type: ConversationPageResponse })
  list(@Query() query: ListConversationsQueryDto): Promise<Page<ConversationResponse>> {
    return this.conversations.list(this.contexts.require(), query);
  }

  @Get('export')
  @AuditAction('conversation.export')
  @CheckPolicies(ConversationPolicies.export)
  @ApiOperation({
    summary: 'Every member’s conversations with their turns, as NDJSON (tenant admin; audited)',
    description: 'One conversation a line, oldest first, with its owner; for compliance requests.',
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'One conversation (with `owner` and `turns`) a line' })
  async export(@Query() query: ExportConversationsQueryDto, @Res() res: Response): Promise<void> {
    await this.exports.write(this.contexts.require(), query, res);
  }

  @Get(':conversationId')
  @ApiParam(CONVERSATION_PARAM)
  @CheckPolicies(ConversationPolicies.read)
  @ApiOperation({ summary: 'One of the caller’s conversations with its turns, oldest first' })
  @ApiOkResponse({ type: ConversationDetailResponse })
  get(@Param('conversationId') id: string): Promise<ConversationDetailResponse> {
    return this.conversations.get(this.contexts.require(), id);
  }

  @Patch(':conversationId')
  @ApiParam(CONVERSATION_PARAM)
  @AuditAction('conversation.update')
  @CheckPolicies(ConversationPolicies.update)
  @ApiOperation({ summary: 'Rename a conversation' })
  @ApiOkResponse({ type: ConversationResponse })
  rename(
    @Param('conversationId') id: string,
    @Body() dto: UpdateConversationDto,
  ): Promise<ConversationResponse> {
    return this.conversations.rename(this.contexts.require(), id, dto.title);
  }

  @Delete(':conversationId')
  @HttpCode(204)
  @ApiParam(CONVERSATION_PARAM)
  @AuditAction('conversation.delete')
  @CheckPolicies(ConversationPolicies.delete)
  @ApiOperation({ summary: 'Delete a conversation with its turns and their ratings' })
  @ApiNoContentResponse()
  delete(@Param('conversationId') id: string): Promise<void> {
    return this.conversations.delete(this.contexts.require(), id);
  }

  @Post(':conversationId/messages')
  @HttpCode(200)
  @ApiParam(CONVERSATION_PARAM)
  @CountsAsQuery()
  @AuditAction('query.run')
  @CheckPolicies(ConversationPolicies.update)
  @ApiOperation({
    summary: 'Ask the next question of a conversation (counts against queries_per_minute)',
    description:
      'The body is a query’s. The conversation’s stored turns are the history (the latest that fit the ' +
      'first KB’s max_history_tokens), unless `conversation_history` is sent; the answer is kept as a turn ' +
      'and the response names it (`turn_id`, also in the stream’s `done` event). ' +
      ANSWER_STREAM_DESCRIPTION,
  })
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ type: ConversationAnswerResponse })
  async ask(
    @Param('conversationId') id: string,
    @Body() dto: ConversationMessageDto,
    @Req() req: RequestWithId,
    @Res() res: Response,
  ): Promise<void> {
    const context = this.contexts.require();
    const { prepared, conversation } = await this.conversations.prepareMessage(context, id, dto);
    await sendAnswer(this.queries, prepared, { req, res, logger: this.logger }, async (answer) => ({
      conversation_id: conversation.id,
      turn_id: await this.conversations.keepTurn(context, conversation, prepared, answer),
    }));
  }
}
