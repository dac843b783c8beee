import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
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
import { CheckPolicies, subject } from '@strata/authz';
import { ErrorResponse } from '@strata/core';
import { KB_PARAM } from '@strata/knowledge-bases';
import { TENANT_PARAM } from '@strata/tenants';
import { TenantContextService } from '@strata/tenancy';
import { ConversationPolicies } from '../conversations.policies';
import { AnswerFeedbackService } from './answer-feedback.service';
import {
  FeedbackQueryDto,
  FeedbackResponse,
  RateAnswerDto,
  RatedAnswerPageResponse,
} from './dto/feedback.dto';

@ApiTags('conversations')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@ApiParam({ name: 'conversationId', description: 'Conversation uuid' })
@ApiParam({ name: 'turnId', description: 'Turn uuid (the answer’s `turn_id`)' })
@AuditResource('feedback')
@Controller('tenants/:tenantId/conversations/:conversationId/turns/:turnId/feedback')
export class TurnFeedbackController {
  constructor(
    private readonly feedback: AnswerFeedbackService,
    private readonly contexts: TenantContextService,
  ) {}

  @Put()
  @AuditAction('feedback.rate')
  @CheckPolicies(ConversationPolicies.update)
  @ApiOperation({ summary: 'Rate an answer of one’s own conversation (replaces an earlier rating)' })
  @ApiOkResponse({ type: FeedbackResponse })
  rate(
    @Param('conversationId') conversationId: string,
    @Param('turnId') turnId: string,
    @Body() dto: RateAnswerDto,
  ): Promise<FeedbackResponse> {
    return this.feedback.rate(this.contexts.require(), conversationId, turnId, dto);
  }

  @Delete()
  @HttpCode(204)
  @AuditAction('feedback.delete')
  @CheckPolicies(ConversationPolicies.update)
  @ApiOperation({ summary: 'Take a rating back' })
  @ApiNoContentResponse()
  remove(@Param('conversationId') conversationId: string, @Param('turnId') turnId: string): Promise<void> {
    return this.feedback.remove(this.contexts.require(), conversationId, turnId);
  }
}

@ApiTags('conversations')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@ApiParam(KB_PARAM)
@AuditResource('feedback')
@Controller('tenants/:tenantId/knowledge-bases/:kbId/feedback')
export class KnowledgeBaseFeedbackController {
  constructor(
    private readonly feedback: AnswerFeedbackService,
    private readonly contexts: TenantContextService,
  ) {}

  @Get()
  @CheckPolicies((ability, context) =>
    ability.can(
      'list',
      subject('Feedback', { tenantId: context?.tenantId, kbId: context?.kbId ?? undefined }),
    ),
  )
  @ApiOperation({
    summary: 'Ratings of answers drawn from this KB (editor and admin); format=ndjson exports all matches',
    description:
      'Newest answer first. Only answers of conversations whose every KB the caller is assigned to are listed.',
  })
  @ApiProduces('application/json', 'application/x-ndjson')
  @ApiOkResponse({ type: RatedAnswerPageResponse })
  async list(@Query() query: FeedbackQueryDto, @Res() res: Response): Promise<void> {
    const context = this.contexts.require();
    if (query.format !== 'ndjson') {
      res.json(await this.feedback.page(context, query));
      return;
    }
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="feedback.ndjson"');
    for await (const item of this.feedback.all(context, query)) {
      if (!res.write(`${JSON.stringify(item)}\n`)) await new Promise((resume) => res.once('drain', resume));
    }
    res.end();
  }
}
