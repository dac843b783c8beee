import { Body, Controller, Get, HttpCode, Logger, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditAction, AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import type { RequestWithId } from '@strata/core';
import type { KnowledgeBaseResponse } from '@strata/knowledge-bases';
import { QueryService, ServerSentEvents, streamAnswer } from '@strata/query';
import { CountsAsQuery, TENANT_PARAM } from '@strata/tenants';
import { TenantContextService } from '@strata/tenancy';
import { chatQuery } from '../chat/chat-query';
import { CompatPolicies } from '../compat.policies';
import { KnowledgeBaseModels } from '../models/knowledge-base-models';
import { chatCompletion, completionChunk, completionIdentity, usageChunk } from './chat-completion';
import { ChatCompletionRequestDto } from './dto/chat-completion.dto';
import { openAiErrorBody, OpenAiErrorFilter } from './openai-error.filter';

const model = (kb: KnowledgeBaseResponse, tenantSlug: string) => ({
  id: kb.slug,
  object: 'model' as const,
  created: Math.floor(Date.parse(kb.created_at) / 1000),
  owned_by: tenantSlug,
});

/**
 * OpenAI's chat completions API over a tenant's KBs, for the clients that speak it: the base URL
 * is `/api/v1/tenants/{tenantId}/openai/v1`, each KB the caller may query is a model, and the API
 * key (or access token) goes in `Authorization: Bearer`. Answers are the KB's (retrieval, then
 * its LLM or the extractive answerer) with the references in a `strata` field.
 */
@ApiTags('openai-compatible')
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@AuditResource('query')
@UseFilters(OpenAiErrorFilter)
@Controller('tenants/:tenantId/openai/v1')
export class OpenAiController {
  private readonly logger = new Logger(OpenAiController.name);

  constructor(
    private readonly models: KnowledgeBaseModels,
    private readonly queries: QueryService,
    private readonly contexts: TenantContextService,
  ) {}

  @Get('models')
  @AuditAction('query.models')
  @CheckPolicies(CompatPolicies.chat)
  @ApiOperation({ summary: 'The KBs the caller may query, as OpenAI models (id: the KB slug)' })
  @ApiOkResponse({ description: '`{object: "list", data: [{id, object: "model", created, owned_by}]}`' })
  async list() {
    const tenant = this.contexts.require().tenantSlug;
    return { object: 'list', data: (await this.models.list()).map((kb) => model(kb, tenant)) };
  }

  @Get('models/:model')
  @AuditAction('query.models')
  @CheckPolicies(CompatPolicies.chat)
  @ApiParam({ name: 'model', description: 'KB slug or id' })
  @ApiOperation({ summary: 'One KB as an OpenAI model' })
  @ApiOkResponse({ description: '`{id, object: "model", created, owned_by}`' })
  async read(@Param('model') name: string) {
    const kb = await this.models.open(name);
    return model(kb, this.contexts.require().tenantSlug);
  }

  @Post('chat/completions')
  @HttpCode(200)
  @CountsAsQuery()
  @AuditAction('query.run')
  @CheckPolicies(CompatPolicies.chat)
  @ApiOperation({
    summary: 'Ask a KB (the model) in OpenAI’s chat completions shape (counts against queries_per_minute)',
    description:
      'A model naming several KBs joined by `+` (`contracts+policies`) asks them all, fused as `POST /tenants/{t}/query` does. The last message is the question (a leading /naive, /local, /global, /hybrid, /mix or /bypass chooses the mode); earlier user and assistant messages are the history; system messages are not used. `strata` carries mode, references, answer_source and warnings. With `stream: true`, Server-Sent Events of `chat.completion.chunk` objects end with `data: [DONE]`; an error after the stream opened comes as `data: {"error": …}`.',
  })
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ description: 'A `chat.completion` object (or its chunks)' })
  async complete(
    @Body() dto: ChatCompletionRequestDto,
    @Req() req: RequestWithId,
    @Res() res: Response,
  ): Promise<void> {
    const scopes = await this.models.openAll(dto.model);
    const query = await chatQuery(dto.messages);
    const prepared = await this.queries.prepareOver(this.contexts.require(), scopes, query);
    const identity = completionIdentity(dto.model);
    if (!dto.stream) {
      res.status(200).json(chatCompletion(identity, await this.queries.answer(prepared)));
      return;
    }
    const events = new ServerSentEvents(res);
    events.data(
      completionChunk(identity, { role: 'assistant', content: '' }, null, {
        mode: prepared.mode,
        references: prepared.references,
      }),
    );
    await streamAnswer(
      this.queries,
      prepared,
      {
        signal: events.signal,
        delta: (text) => events.data(completionChunk(identity, { content: text })),
        done: (answer) => {
          events.data(
            completionChunk(identity, {}, 'stop', {
              answer_source: answer.answer_source,
              warnings: answer.warnings,
            }),
          );
          if (dto.stream_options?.include_usage) events.data(usageChunk(identity, answer.usage));
          events.data('[DONE]');
        },
        failed: ({ status, code, message }) =>
          events.data(openAiErrorBody(status, code, message, req.id ?? null)),
        end: () => events.end(),
      },
      this.logger,
      req.id ?? null,
    );
  }
}
