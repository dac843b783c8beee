import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AuditService } from '@strata/audit';
import type { TenantContext } from '@strata/tenancy';
import { ConversationsRepository } from './conversations.repository';
import { conversationResponse, turnResponse } from './conversation-responses';
import { AnswerFeedbackService } from './feedback/answer-feedback.service';
import type { ExportConversationsQueryDto } from './dto/conversation.dto';

const EXPORT_PAGE = 100;

/**
 * Every member's conversations for a tenant admin (a compliance request), one JSON line each with
 * its owner and turns. The export itself is audited before the first line goes out.
 */
@Injectable()
export class ConversationExport {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly feedback: AnswerFeedbackService,
  ) {}

  async write(context: TenantContext, query: ExportConversationsQueryDto, res: Response): Promise<void> {
    const scope = context.scope();
    const since = query.since ? new Date(query.since) : null;
    const until = query.until ? new Date(query.until) : null;
    await this.audit.record({
      action: 'conversation.export',
      outcome: 'success',
      resourceType: 'tenant',
      resourceId: context.tenantId,
      details: { since: query.since ?? null, until: query.until ?? null },
    });
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="conversations.ndjson"');
    let after: string | null = null;
    for (;;) {
      const page = await ConversationsRepository.exportPage(this.dataSource, scope, {
        since,
        until,
        after,
        limit: EXPORT_PAGE,
      });
      if (page.length === 0) break;
      const turns = await ConversationsRepository.turns(
        this.dataSource,
        scope,
        page.map((c) => c.id),
      );
      const ratings = await this.feedback.ofTurns(
        context,
        turns.map((turn) => turn.id),
      );
      for (const conversation of page) {
        const line = {
          ...conversationResponse(conversation),
          owner: { type: conversation.owner_type, id: conversation.owner_id },
          turns: turns
            .filter((turn) => turn.conversation_id === conversation.id)
            .map((turn) => ({
              ...turnResponse({ ...turn, withheld: false }),
              feedback: ratings.get(turn.id) ?? null,
            })),
        };
        if (!res.write(`${JSON.stringify(line)}\n`)) await new Promise((resume) => res.once('drain', resume));
      }
      after = page[page.length - 1].id;
    }
    res.end();
  }
}
