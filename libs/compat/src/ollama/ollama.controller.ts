import { Body, Controller, Get, HttpCode, Logger, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditAction, AuditResource } from '@strata/audit';
import { CheckPolicies, Public } from '@strata/authz';
import type { RequestWithId } from '@strata/core';
import { NdjsonStream, QueryService, streamAnswer, type QueryDto, type QueryResponse } from '@strata/query';
import { CountsAsQuery, TENANT_PARAM } from '@strata/tenants';
import { type KbScope, TenantContextService } from '@strata/tenancy';
import { chatQuery } from '../chat/chat-query';
import { CompatPolicies } from '../compat.policies';
import { KnowledgeBaseModels } from '../models/knowledge-base-models';
import { OllamaChatRequestDto, OllamaGenerateRequestDto, OllamaModelRequestDto } from './dto/ollama.dto';
import { ollamaErrorBody, OllamaErrorFilter } from './ollama-error.filter';
import { kbOfModelName, OLLAMA_API_VERSION, ollamaDone, ollamaModel, ollamaShow } from './ollama-responses';

/** How one answer is framed: as chat messages or as generated text. */
interface Framing {
  piece(text: string): Record<string, unknown>;
  whole(answer: QueryResponse): Record<string, unknown>;
}

const chatFraming: Framing = {
  piece: (content) => ({ message: { role: 'assistant', content }, done: false }),
  whole: (answer) => ({
    message: { role: 'assistant', content: answer.answer ?? '' },
    ...ollamaDone(answer),
  }),
};

const generateFraming: Framing = {
  piece: (response) => ({ response, done: false }),
  whole: (answer) => ({ response: answer.answer ?? '', ...ollamaDone(answer) }),
};

/** The last streamed line: the pieces came before it, so it carries none of the answer. */
const closing = (framing: Framing, answer: QueryResponse) => framing.whole({ ...answer, answer: '' });

/**
 * Ollama's API over a tenant's KBs, for the chat front ends that speak it (Open WebUI and others,
 * and the clients LightRAG's Ollama emulation served): the host to configure is
 * `/api/v1/tenants/{tenantId}/ollama`, each KB the caller may query is a model `<slug>:latest`,
 * and the API key goes in `Authorization: Bearer`. Answers stream as NDJSON unless `stream: false`.
 */
@ApiTags('ollama-compatible')
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@AuditResource('query')
@UseFilters(OllamaErrorFilter)
@Controller('tenants/:tenantId/ollama/api')
export class OllamaController {
  private readonly logger = new Logger(OllamaController.name);

  constructor(
    private readonly models: KnowledgeBaseModels,
    private readonly queries: QueryService,
    private readonly contexts: TenantContextService,
  ) {}

  @Get('version')
  @Public()
  @ApiOperation({ summary: 'The Ollama API level Strata answers (public, as in Ollama)' })
  @ApiOkResponse({ description: '`{version}`' })
  version() {
    return { version: OLLAMA_API_VERSION };
  }

  @Get('tags')
  @AuditAction('query.models')
  @CheckPolicies(CompatPolicies.chat)
  @ApiOperation({ summary: 'The KBs the caller may query, as Ollama models (`<slug>:latest`)' })
  @ApiOkResponse({ description: '`{models: [{name, model, modified_at, size, digest, details}]}`' })
  async tags() {
    return { models: (await this.models.list()).map(ollamaModel) };
  }

  @Post('show')
  @HttpCode(200)
  @AuditAction('query.models')
  @CheckPolicies(CompatPolicies.chat)
  @ApiOperation({ summary: 'One KB as an Ollama model' })
  @ApiOkResponse({ description: '`{modelfile, parameters, template, details, model_info, capabilities}`' })
  async show(@Body() dto: OllamaModelRequestDto) {
    return ollamaShow(await this.models.open(kbOfModelName(dto.model)));
  }

  @Post('chat')
  @HttpCode(200)
  @CountsAsQuery()
  @AuditAction('query.run')
  @CheckPolicies(CompatPolicies.chat)
  @ApiOperation({
    summary: 'Ask a KB (the model) in Ollama’s chat shape (counts against queries_per_minute)',
    description:
      'The last message is the question (a leading /naive, /local, /global, /hybrid, /mix or /bypass chooses the mode); earlier user and assistant messages are the history; system messages are not used. The closing object (`done: true`) carries durations, token counts and a `strata` field with mode, references, answer_source and warnings. An error after the stream opened comes as a line `{"error": …}`.',
  })
  @ApiProduces('application/x-ndjson', 'application/json')
  @ApiOkResponse({ description: 'NDJSON lines `{model, created_at, message, done}`, or one object' })
  async chat(
    @Body() dto: OllamaChatRequestDto,
    @Req() req: RequestWithId,
    @Res() res: Response,
  ): Promise<void> {
    const scopes = await this.models.openAll(kbOfModelName(dto.model));
    const query = await chatQuery(dto.messages);
    await this.answer(dto.model, scopes, query, dto.stream !== false, chatFraming, req, res);
  }

  @Post('generate')
  @HttpCode(200)
  @CountsAsQuery()
  @AuditAction('query.run')
  @CheckPolicies(CompatPolicies.chat)
  @ApiOperation({
    summary: 'Ask a KB (the model) in Ollama’s generate shape (counts against queries_per_minute)',
    description:
      'The prompt is the question (a /mode prefix chooses the mode); `system` is not used. An empty prompt only checks the model, as Ollama loads one: `{done: true, done_reason: "load"}`.',
  })
  @ApiProduces('application/x-ndjson', 'application/json')
  @ApiOkResponse({ description: 'NDJSON lines `{model, created_at, response, done}`, or one object' })
  async generate(
    @Body() dto: OllamaGenerateRequestDto,
    @Req() req: RequestWithId,
    @Res() res: Response,
  ): Promise<void> {
    const scopes = await this.models.openAll(kbOfModelName(dto.model));
    if ((dto.prompt ?? '').trim() === '') {
      res.status(200).json({
        model: dto.model,
        created_at: new Date().toISOString(),
        response: '',
        done: true,
        done_reason: 'load',
      });
      return;
    }
    const query = await chatQuery([{ role: 'user', content: dto.prompt! }]);
    await this.answer(dto.model, scopes, query, dto.stream !== false, generateFraming, req, res);
  }

  private async answer(
    model: string,
    scopes: readonly KbScope[],
    query: QueryDto,
    stream: boolean,
    framing: Framing,
    req: RequestWithId,
    res: Response,
  ): Promise<void> {
    const prepared = await this.queries.prepareOver(this.contexts.require(), scopes, query);
    const stamp = () => ({ model, created_at: new Date().toISOString() });
    if (!stream) {
      res.status(200).json({ ...stamp(), ...framing.whole(await this.queries.answer(prepared)) });
      return;
    }
    const lines = new NdjsonStream(res);
    await streamAnswer(
      this.queries,
      prepared,
      {
        signal: lines.signal,
        delta: (text) => lines.line({ ...stamp(), ...framing.piece(text) }),
        done: (answer) => lines.line({ ...stamp(), ...closing(framing, answer) }),
        failed: ({ code, message }) => lines.line(ollamaErrorBody(message, code, req.id ?? null)),
        end: () => lines.end(),
      },
      this.logger,
      req.id ?? null,
    );
  }
}
