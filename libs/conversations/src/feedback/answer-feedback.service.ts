import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@strata/audit';
import {
  BadRequest,
  DEFAULT_PAGE_SIZE,
  decodeCursor,
  ErrorCode,
  NotFound,
  type Page,
  toPage,
} from '@strata/core';
import type { TenantContext } from '@strata/tenancy';
import { ConversationsRepository, type TurnRow } from '../conversations.repository';
import { HiddenCitations, withholdingHidden } from '../hidden-citations';
import { conversationNotFound, readerOf } from '../conversation-reader';
import {
  AnswerFeedbackRepository,
  type FeedbackRow,
  type RatedAnswerRow,
} from './answer-feedback.repository';
import type {
  FeedbackQueryDto,
  FeedbackResponse,
  RateAnswerDto,
  RatedAnswerResponse,
} from './dto/feedback.dto';

/**
 * Ratings of answers. A conversation's owner rates its turns (up or down, a comment, the
 * reference that was wrong); the editors and admins of a KB read the ratings of answers drawn
 * from it. A comment is kept whatever the tenant's privacy settings: its author wrote it to be read.
 */
@Injectable()
export class AnswerFeedbackService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly citations: HiddenCitations,
  ) {}

  async rate(
    context: TenantContext,
    conversationId: string,
    turnId: string,
    dto: RateAnswerDto,
  ): Promise<FeedbackResponse> {
    const turn = await this.ownTurn(context, conversationId, turnId);
    const referenceId = dto.reference_id ?? null;
    if (referenceId !== null && !turn.references.some((r) => (r as { id?: number }).id === referenceId)) {
      throw new BadRequest(
        ErrorCode.UNKNOWN_REFERENCE,
        `reference_id ${referenceId} is not one of the answer's references`,
      );
    }
    const saved = await this.dataSource.transaction(async (manager) => {
      const row = await AnswerFeedbackRepository.rate(manager, context.scope(), {
        turn_id: turnId,
        conversation_id: conversationId,
        rating: dto.rating,
        comment: dto.comment ?? null,
        reference_id: referenceId,
      });
      await this.audit.record(
        {
          action: 'feedback.rate',
          outcome: 'success',
          resourceType: 'turn',
          resourceId: turnId,
          details: { conversation_id: conversationId, rating: dto.rating, reference_id: referenceId },
        },
        manager,
      );
      return row;
    });
    return feedbackResponse(saved);
  }

  async remove(context: TenantContext, conversationId: string, turnId: string): Promise<void> {
    await this.ownTurn(context, conversationId, turnId);
    await this.dataSource.transaction(async (manager) => {
      if (!(await AnswerFeedbackRepository.remove(manager, context.scope(), turnId))) {
        throw new NotFound(ErrorCode.FEEDBACK_NOT_FOUND, 'This answer has no rating');
      }
      await this.audit.record(
        {
          action: 'feedback.delete',
          outcome: 'success',
          resourceType: 'turn',
          resourceId: turnId,
          details: { conversation_id: conversationId },
        },
        manager,
      );
    });
  }

  /** The ratings of the turns, by turn id. */
  async ofTurns(context: TenantContext, turnIds: readonly string[]): Promise<Map<string, FeedbackResponse>> {
    const rows = await AnswerFeedbackRepository.ofTurns(this.dataSource, context.scope(), turnIds);
    return new Map(rows.map((row) => [row.turn_id, feedbackResponse(row)]));
  }

  /** A page of the ratings of answers from the context's KB, newest answer first. */
  async page(context: TenantContext, query: FeedbackQueryDto): Promise<Page<RatedAnswerResponse>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.read(context, query, decodeCursor(query.cursor), limit);
    return toPage(
      rows.map((row) => ({ ...row, id: row.turn_id })),
      limit,
      ratedAnswerResponse,
    );
  }

  /** Every rating the query matches, page by page, for an export. */
  async *all(context: TenantContext, query: FeedbackQueryDto): AsyncGenerator<RatedAnswerResponse> {
    let before: string | null = null;
    for (;;) {
      const rows = await this.read(context, query, before, EXPORT_PAGE);
      yield* rows.slice(0, EXPORT_PAGE).map(ratedAnswerResponse);
      if (rows.length <= EXPORT_PAGE) return;
      before = rows[EXPORT_PAGE - 1].turn_id;
    }
  }

  /** Ratings of answers from the KB; an answer citing a document hidden from the caller is withheld. */
  private async read(
    context: TenantContext,
    query: FeedbackQueryDto,
    before: string | null,
    limit: number,
  ): Promise<Array<RatedAnswerRow & { withheld: boolean }>> {
    const rows = await AnswerFeedbackRepository.ofKnowledgeBase(
      this.dataSource,
      context.kbScope(),
      context.kbIds,
      {
        rating: query.rating ?? null,
        since: query.since ? new Date(query.since) : null,
        until: query.until ? new Date(query.until) : null,
      },
      { before, limit },
    );
    const hidden = await this.citations.of(
      context,
      rows.flatMap((row) => row.kb_ids),
    );
    return rows.map((row) => withholdingHidden(row, hidden));
  }

  private async ownTurn(context: TenantContext, conversationId: string, turnId: string): Promise<TurnRow> {
    const scope = context.scope();
    const conversation = await ConversationsRepository.find(
      this.dataSource,
      scope,
      readerOf(context),
      conversationId,
    );
    if (!conversation) throw conversationNotFound();
    const turn = await ConversationsRepository.turn(this.dataSource, scope, conversationId, turnId);
    if (!turn) throw new NotFound(ErrorCode.TURN_NOT_FOUND, 'Turn not found');
    return turn;
  }
}

const EXPORT_PAGE = 200;

const feedbackResponse = (row: FeedbackRow): FeedbackResponse => ({
  rating: row.rating,
  comment: row.comment,
  reference_id: row.reference_id,
  created_at: new Date(row.created_at).toISOString(),
  updated_at: new Date(row.updated_at).toISOString(),
});

const ratedAnswerResponse = (row: RatedAnswerRow & { withheld: boolean }): RatedAnswerResponse => ({
  ...feedbackResponse(row),
  turn_id: row.turn_id,
  conversation_id: row.conversation_id,
  knowledge_base_ids: row.kb_ids,
  question: row.question,
  answer: row.answer,
  withheld: row.withheld,
  mode: row.mode,
  model: row.model,
  reference:
    row.reference_id === null
      ? null
      : ((row.references.find((r) => r.id === row.reference_id) as Record<string, unknown> | undefined) ??
        null),
});
