import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@strata/audit';
import { decodeCursor, DEFAULT_PAGE_SIZE, newId, type Page, toPage } from '@strata/core';
import { KnowledgeBaseSet, type PreparedQuery, type QueryResponse, QueryService } from '@strata/query';
import { hiddenDocumentsOf, type TenantContext } from '@strata/tenancy';
import { conversationNotFound, ownerOf, readerOf } from './conversation-reader';
import { conversationResponse, turnResponse } from './conversation-responses';
import { AnswerFeedbackService } from './feedback/answer-feedback.service';
import { historyOf, titleFrom, turnOf, UNTITLED } from './conversation-turns';
import { citesHidden, HiddenCitations, withholdingHidden } from './hidden-citations';
import { type ConversationRow, ConversationsRepository } from './conversations.repository';
import type {
  ConversationDetailResponse,
  ConversationMessageDto,
  ConversationResponse,
  CreateConversationDto,
  ListConversationsQueryDto,
} from './dto/conversation.dto';

/** Stored exchanges read for a question's history; the KB's max_history_tokens then keeps the latest that fit. */
const HISTORY_EXCHANGES = 50;

/**
 * Conversations kept by the server, each its owner's alone: a person's (or API key's) questions to
 * a set of KBs, with every answer, its references, mode, model and timings. A question in a
 * conversation gets the stored turns as its history. One the caller does not own, or whose KBs
 * they are no longer all assigned to, answers 404 like one that does not exist.
 */
@Injectable()
export class ConversationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queries: QueryService,
    private readonly knowledgeBases: KnowledgeBaseSet,
    private readonly audit: AuditService,
    private readonly feedback: AnswerFeedbackService,
    private readonly citations: HiddenCitations,
  ) {}

  async create(context: TenantContext, dto: CreateConversationDto): Promise<ConversationResponse> {
    const scopes = await this.knowledgeBases.resolve(context, dto.knowledge_base_ids);
    const id = newId();
    const kbIds = scopes.map((scope) => scope.kbId);
    const title = dto.title ?? UNTITLED;
    await this.dataSource.transaction(async (manager) => {
      await ConversationsRepository.insert(manager, context.scope(), {
        id,
        owner: ownerOf(context),
        title,
        kbIds,
      });
      await this.audit.record(
        {
          action: 'conversation.create',
          outcome: 'success',
          resourceType: 'conversation',
          resourceId: id,
          details: { knowledge_base_ids: kbIds },
        },
        manager,
      );
    });
    return this.get(context, id);
  }

  async list(context: TenantContext, query: ListConversationsQueryDto): Promise<Page<ConversationResponse>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await ConversationsRepository.list(this.dataSource, context.scope(), readerOf(context), {
      before: decodeCursor(query.cursor),
      limit,
      kbId:
        query.knowledge_base_id === undefined
          ? null
          : await this.knowledgeBases.idOf(context, query.knowledge_base_id),
    });
    return toPage(rows, limit, conversationResponse);
  }

  async get(context: TenantContext, id: string): Promise<ConversationDetailResponse> {
    const row = await this.require(context, id);
    const turns = await ConversationsRepository.turns(this.dataSource, context.scope(), [row.id]);
    const ratings = await this.feedback.ofTurns(
      context,
      turns.map((turn) => turn.id),
    );
    const hidden = await this.citations.of(context, row.kb_ids);
    return {
      ...conversationResponse(row),
      turns: turns.map((turn) => ({
        ...turnResponse(withholdingHidden(turn, hidden)),
        feedback: ratings.get(turn.id) ?? null,
      })),
    };
  }

  async rename(context: TenantContext, id: string, title: string): Promise<ConversationResponse> {
    await this.dataSource.transaction(async (manager) => {
      if (!(await ConversationsRepository.rename(manager, context.scope(), readerOf(context), id, title)))
        throw conversationNotFound();
      await this.audit.record(
        { action: 'conversation.update', outcome: 'success', resourceType: 'conversation', resourceId: id },
        manager,
      );
    });
    return conversationResponse(await this.require(context, id));
  }

  async delete(context: TenantContext, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (!(await ConversationsRepository.delete(manager, context.scope(), readerOf(context), id)))
        throw conversationNotFound();
      await this.audit.record(
        { action: 'conversation.delete', outcome: 'success', resourceType: 'conversation', resourceId: id },
        manager,
      );
    });
  }

  /**
   * A question in a conversation, ready to answer: its KBs checked again (access may have changed
   * since it began), the stored turns as history unless the caller sent their own.
   */
  async prepareMessage(
    context: TenantContext,
    id: string,
    dto: ConversationMessageDto,
  ): Promise<{ prepared: PreparedQuery; conversation: ConversationRow }> {
    const conversation = await this.require(context, id);
    const scopes = await this.knowledgeBases.resolve(context, conversation.kb_ids);
    const hidden = new Set(scopes.flatMap((scope) => hiddenDocumentsOf(scope)));
    // An exchange whose answer cited a document since hidden from the caller is left out whole.
    const history =
      dto.conversation_history ??
      historyOf(
        (
          await ConversationsRepository.recentExchanges(
            this.dataSource,
            context.scope(),
            id,
            HISTORY_EXCHANGES,
          )
        ).filter((exchange) => !citesHidden(exchange.references, hidden)),
      );
    const prepared = await this.queries.prepareOver(context, scopes, {
      ...dto,
      conversation_history: history,
    });
    prepared.auditDetails = { conversation_id: id };
    return { prepared, conversation };
  }

  /**
   * Keeps an answer as the conversation's next turn (its text only when the tenant keeps query
   * text); a conversation still untitled is named by its first question. Answers the turn's id,
   * or null when there was no answer to keep (only the context or the prompt was asked for).
   */
  async keepTurn(
    context: TenantContext,
    conversation: ConversationRow,
    prepared: PreparedQuery,
    answer: QueryResponse,
  ): Promise<string | null> {
    if (answer.answer === null) return null;
    const keepText = prepared.tenant.privacy.store_query_text;
    const turn = turnOf(
      { id: newId(), conversationId: conversation.id },
      prepared.dto.query,
      answer,
      prepared.llm?.model ?? null,
      keepText,
    );
    const scope = context.scope();
    return this.dataSource.transaction(async (manager) => {
      // Deleted while the answer was being written: the answer was given, nothing is kept.
      if (!(await ConversationsRepository.addTurn(manager, scope, turn))) return null;
      const firstTurn = conversation.title === UNTITLED && keepText;
      if (firstTurn) {
        await ConversationsRepository.rename(
          manager,
          scope,
          readerOf(context),
          conversation.id,
          titleFrom(turn.question!),
        );
      }
      return turn.id;
    });
  }

  private async require(context: TenantContext, id: string): Promise<ConversationRow> {
    const row = await ConversationsRepository.find(this.dataSource, context.scope(), readerOf(context), id);
    if (!row) throw conversationNotFound();
    return row;
  }
}
