import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BadRequest, describeError, ErrorCode } from '@strata/core';
import { isConcept, type QueryKeywords } from '@strata/graph';
import { countTokens } from '@strata/providers';
import {
  type KnowledgeBaseConfig,
  mergeKbConfig,
  type QueryMode,
  QUERY_MODES,
  readKbConfig,
  readKbDocumentCount,
} from '@strata/knowledge-bases';
import {
  type ChatMessage,
  type ChatModel,
  ChatModelFactory,
  LEXICAL_MODEL,
  ProviderError,
  RerankerFactory,
  asProviderFailure,
} from '@strata/providers';
import { KbScope, TenantContext } from '@strata/tenancy';
import { TenantConfigService, type TenantSettings, TokenMeter, TokenQuotas } from '@strata/tenants';
import { answerPrompt, bypassPrompt, promptText, recentHistory } from './answer/answer-prompt';
import { extractiveAnswer } from './answer/extractive-answer';
import {
  AnswerSource,
  QueryDto,
  QueryEntity,
  QueryReference,
  QueryRelation,
  QueryOptionsResponse,
  QueryResponse,
} from './dto/query.dto';
import { QueryRecorder } from './query-recorder';
import { graphSection } from './retrieval/graph-context';
import { AcrossRetrieval, type RetrievedAcross } from './across/across-retrieval';
import { ModeRetrieval, type ModeResult } from './retrieval/mode-retrieval';
import { chunkTokens, selectContext } from './retrieval/context-selection';
import type { RankedChunk } from './retrieval/ranked-chunk';
import { rerankChunks } from './retrieval/rerank-chunks';
import { referenceSnippet } from './answer/plain-text';

const NO_ANSWER = 'No answer was found in this knowledge base.';
const NO_ANSWER_ACROSS = 'No answer was found in these knowledge bases.';
const NO_DOCUMENTS = 'This knowledge base has no documents yet: add some before asking.';
const NO_DOCUMENTS_ACROSS = 'These knowledge bases have no documents yet: add some before asking.';
export const CLIENT_CLOSED = 'CLIENT_CLOSED';

/** A query with its context built, ready to be answered (at once or as a stream). */
export interface PreparedQuery {
  /** The KBs asked, the first one's settings answering (one KB unless asked across KBs). */
  scopes: readonly KbScope[];
  dto: QueryDto;
  mode: QueryMode;
  tenant: TenantSettings;
  llm: ChatModel | null;
  chunks: RankedChunk[];
  references: QueryReference[];
  entities: QueryEntity[];
  relations: QueryRelation[];
  keywords: QueryKeywords | null;
  /** LLM tokens spent before the answer (keyword extraction). */
  retrievalTokens: { tokensIn: number; tokensOut: number };
  contextText: string;
  messages: ChatMessage[];
  warnings: string[];
  /** Nothing was found because the KB holds no documents at all. */
  kbEmpty: boolean;
  started: number;
  timings: { retrieval: number; rerank: number };
  /** Added to the query's audit event by whoever asked (a conversation names itself). */
  auditDetails?: Record<string, unknown>;
}

interface ProducedAnswer {
  text: string;
  source: AnswerSource;
  tokens: { tokensIn: number; tokensOut: number };
}

/**
 * Answers a question over one KB. `naive`: chunks retrieved by vectors and full text, fused, then
 * reordered by the tenant's rerank provider when there is one, cut to the token budget and laid
 * out by document; the tenant's LLM answers from them citing [n] (or, with no LLM, the best
 * sentences are extracted with citations). `bypass` sends the conversation to the LLM alone.
 * `prepare` does everything that can fail before an answer starts, so a stream only opens once
 * retrieval has succeeded.
 */
@Injectable()
export class QueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly modes: ModeRetrieval,
    private readonly across: AcrossRetrieval,
    private readonly recorder: QueryRecorder,
    private readonly tenantConfig: TenantConfigService,
    private readonly chatModels: ChatModelFactory,
    private readonly rerankers: RerankerFactory,
    private readonly meter: TokenMeter,
    private readonly tokenQuotas: TokenQuotas,
  ) {}

  /** What a client may offer for this KB: the modes it answers and where answers come from. */
  async options(context: TenantContext): Promise<QueryOptionsResponse> {
    const { kb, llm } = await this.answerSetup(context.kbScope());
    return {
      modes: QUERY_MODES.filter((mode) => mode !== 'bypass' || llm !== null),
      default_mode: kb.query.default_mode,
      answers_from: llm === null ? 'extractive' : 'llm',
    };
  }

  /** The KB's settings, the tenant's, and the KB's chat model (null: extractive answers). */
  private async answerSetup(scope: KbScope) {
    // Tenant resolution found the KB this request; a KB deleted since gets the defaults.
    const kb = (await readKbConfig(this.dataSource, scope)) ?? mergeKbConfig(null);
    const tenant = await this.tenantConfig.settings(scope);
    const llm = this.chatModels.forKnowledgeBase(tenant.provider('llm'), kb.llm.model);
    return { kb, tenant, llm };
  }

  async run(context: TenantContext, dto: QueryDto): Promise<QueryResponse> {
    return this.answer(await this.prepare(context, dto));
  }

  async prepare(context: TenantContext, dto: QueryDto): Promise<PreparedQuery> {
    return this.prepareOver(context, [context.kbScope()], dto);
  }

  /**
   * A question asked of one KB or several (`scopes`: KBs of the context's tenant that the caller
   * may query; see AcrossRetrieval), answered with the first KB's settings (LLM, budgets, response
   * type, history budget). The tenant's daily token quotas are checked first: a question that
   * would call its LLM, or embed at a provider, when it has used those tokens up for today is a 429.
   */
  async prepareOver(
    context: TenantContext,
    scopes: readonly KbScope[],
    dto: QueryDto,
  ): Promise<PreparedQuery> {
    const started = performance.now();
    const { kb, tenant, llm: model } = await this.answerSetup(scopes[0]);
    const mode = dto.mode ?? kb.query.default_mode;
    await this.tokenQuotas.assertAvailable(context.scope(), context.quotas, [
      ...(model !== null && (mode !== 'naive' || (!dto.only_need_context && !dto.only_need_prompt))
        ? (['llm'] as const)
        : []),
      ...(kb.embedding.model !== null && kb.embedding.model !== LEXICAL_MODEL
        ? (['embedding'] as const)
        : []),
    ]);
    // Each use of the LLM counts its tokens as the first KB's, for what they were spent on.
    const llm = model && this.meter.chatModel(scopes[0], 'answer', model);
    const keywordsLlm = model && this.meter.chatModel(scopes[0], 'keywords', model);
    const history = recentHistory(dto.conversation_history ?? [], kb.query.max_history_tokens, countTokens);
    const base = { scopes, dto, mode, tenant, llm, started, warnings: [] as string[], kbEmpty: false };
    if (mode === 'bypass') {
      if (llm === null) {
        throw new BadRequest(
          ErrorCode.LLM_NOT_CONFIGURED,
          "mode bypass needs an LLM: set the tenant's llm.base_url (or LLM_BASE_URL)",
        );
      }
      return {
        ...base,
        chunks: [],
        references: [],
        entities: [],
        relations: [],
        keywords: null,
        retrievalTokens: { tokensIn: 0, tokensOut: 0 },
        contextText: '',
        messages: bypassPrompt({
          question: dto.query,
          history,
          responseType: dto.response_type ?? null,
          instructions: dto.user_prompt ?? null,
        }),
        timings: { retrieval: 0, rerank: 0 },
      };
    }

    const retrieved =
      scopes.length === 1
        ? withKbOf(scopes[0].kbId, await this.modes.retrieve(scopes[0], kb, tenant, keywordsLlm, dto, mode))
        : await this.across.retrieve(scopes, kb, tenant, keywordsLlm, dto, mode);
    base.warnings.push(...retrieved.warnings);
    const retrievalDone = performance.now();
    const ranked = await this.rerank(kb, tenant, dto, retrieved.chunks, base.warnings);
    const rerankDone = performance.now();
    const budget = dto.max_total_tokens ?? kb.query.max_total_tokens;
    const { entities, relations } = retrieved.findings;
    const names = new Map(entities.map((e) => [e.key, e.name]));
    // Chunks first: the graph lists take what the retrieved chunks leave, up to their shares.
    const graph = graphSection(
      entities,
      relations,
      names,
      budget,
      countTokens,
      budget - chunkTokens(ranked),
      {
        entities: dto.max_entity_tokens,
        relations: dto.max_relation_tokens,
      },
    );
    const chunks = selectContext(ranked, budget - graph.tokens);
    // Worth a statement only when nothing was found: an empty KB says so instead of "no answer".
    const kbEmpty = chunks.length === 0 && (await this.documentCount(scopes)) === 0;
    if (kbEmpty) base.warnings.push(scopes.length === 1 ? NO_DOCUMENTS : NO_DOCUMENTS_ACROSS);
    const sources = chunks.map((chunk, i) => `[${i + 1}] ${chunk.title}\n${chunk.content}`).join('\n\n');
    const contextText = graph.text ? `${graph.text}\n\nSources:\n${sources}` : sources;
    return {
      ...base,
      kbEmpty,
      chunks,
      references: chunks.map((chunk, i) => ({
        id: i + 1,
        knowledge_base_id: retrieved.kbOfChunk.get(chunk.id)!,
        document_id: chunk.document_id,
        title: chunk.title,
        chunk_id: chunk.id,
        score: Math.round(chunk.score * 1e6) / 1e6,
        snippet: referenceSnippet(chunk.content),
      })),
      entities: graph.entities.map((e) => ({ name: e.name, type: e.type, description: e.description })),
      relations: graph.relations.map((r) => ({
        source: names.get(r.sourceKey) ?? r.sourceKey,
        target: names.get(r.targetKey) ?? r.targetKey,
        keywords: r.keywords,
        description: r.description,
        weight: r.weight,
      })),
      keywords: retrieved.keywords,
      retrievalTokens: retrieved.tokens,
      contextText,
      messages: answerPrompt({
        question: dto.query,
        context: contextText,
        history,
        responseType: dto.response_type ?? kb.query.response_type,
        instructions: dto.user_prompt ?? null,
      }),
      timings: { retrieval: retrievalDone - started, rerank: rerankDone - retrievalDone },
    };
  }

  /**
   * Answers a prepared query, handing pieces of the answer to `onDelta` as they come when given
   * (a stream), and records the query (audit event, usage) whether it succeeds or not.
   */
  async answer(
    prepared: PreparedQuery,
    onDelta?: (text: string) => void,
    signal?: AbortSignal,
  ): Promise<QueryResponse> {
    const { dto, scopes, tenant, mode } = prepared;
    const answerStarted = performance.now();
    const answerWanted = !dto.only_need_context && !dto.only_need_prompt;
    let produced: ProducedAnswer | null = null;
    const record = (failure?: string) =>
      this.recorder.record(scopes, tenant, {
        question: dto.query,
        mode,
        results: prepared.references.length,
        latencyMs: performance.now() - prepared.started,
        streamed: onDelta !== undefined,
        failure,
        details: prepared.auditDetails,
      });
    try {
      if (answerWanted) produced = await this.produce(prepared, onDelta, signal);
    } catch (error) {
      const failure = asProviderFailure(error, 'language model');
      const cancelled = signal?.aborted || (error instanceof ProviderError && error.kind === 'cancelled');
      await record(cancelled ? CLIENT_CLOSED : describeError(failure).code);
      throw failure;
    }
    await record();
    const totalMs = performance.now() - prepared.started;
    return {
      answer: produced?.text ?? null,
      answer_source: produced?.source ?? null,
      mode,
      references: prepared.references,
      entities: prepared.entities,
      relations: prepared.relations,
      ...(prepared.keywords
        ? { keywords: { high_level: prepared.keywords.high, low_level: prepared.keywords.low } }
        : {}),
      ...(dto.only_need_context ? { context: prepared.contextText } : {}),
      ...(dto.only_need_prompt ? { prompt: promptText(prepared.messages) } : {}),
      usage: {
        context_tokens: prepared.chunks.reduce((sum, c) => sum + c.token_count, 0),
        llm_tokens_in: (produced?.tokens.tokensIn ?? 0) + prepared.retrievalTokens.tokensIn,
        llm_tokens_out: (produced?.tokens.tokensOut ?? 0) + prepared.retrievalTokens.tokensOut,
      },
      timings_ms: {
        retrieval: Math.round(prepared.timings.retrieval),
        rerank: Math.round(prepared.timings.rerank),
        answer: Math.round(performance.now() - answerStarted),
        total: Math.round(totalMs),
      },
      warnings: prepared.warnings,
    };
  }

  /**
   * The LLM's answer when there is an LLM and something to answer from; otherwise, or when the LLM
   * fails before saying anything and the tenant chose the extractive fallback, the extractive one.
   */
  private async produce(
    prepared: PreparedQuery,
    emit: ((text: string) => void) | undefined,
    signal: AbortSignal | undefined,
  ): Promise<ProducedAnswer> {
    const { llm, mode, chunks, messages } = prepared;
    if (llm && (mode === 'bypass' || chunks.length > 0)) {
      let spoke = false;
      try {
        const completion = emit
          ? await llm.stream(
              messages,
              (text) => {
                spoke = true;
                emit(text);
              },
              signal,
            )
          : await llm.complete(messages, signal);
        return { text: completion.text, source: 'llm', tokens: completion };
      } catch (error) {
        const fallBack =
          error instanceof ProviderError &&
          error.kind !== 'cancelled' &&
          !spoke &&
          mode !== 'bypass' &&
          prepared.tenant.onProviderFailure.llm === 'extractive';
        if (!fallBack) throw error;
        prepared.warnings.push(`The language model failed (${error.message}); the answer is extractive.`);
      }
    }
    const pieces = extractiveAnswer(
      prepared.dto.query,
      chunks.map((chunk, i) => ({ ref: i + 1, content: chunk.content })),
      prepared.dto.response_type ?? '',
      secondHop(prepared),
    );
    if (pieces.length === 0) pieces.push(nothingFound(prepared));
    for (const piece of pieces) emit?.(piece);
    return { text: pieces.join(''), source: 'extractive', tokens: { tokensIn: 0, tokensOut: 0 } };
  }

  /** Documents in the KBs asked, to tell an empty KB from an unanswered question. */
  private async documentCount(scopes: readonly KbScope[]): Promise<number> {
    const counts = await Promise.all(scopes.map((scope) => readKbDocumentCount(this.dataSource, scope)));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  /** The fused chunks reordered by the tenant's rerank provider, when there is one and the KB wants it. */
  private async rerank(
    kb: KnowledgeBaseConfig,
    tenant: TenantSettings,
    dto: QueryDto,
    chunks: RankedChunk[],
    warnings: string[],
  ): Promise<RankedChunk[]> {
    if (!(dto.enable_rerank ?? kb.query.rerank)) return chunks;
    const reranker = this.rerankers.create(tenant.provider('rerank'));
    if (reranker === null) return chunks;
    try {
      return await rerankChunks(reranker, dto.query, chunks);
    } catch (error) {
      if (!(error instanceof ProviderError) || tenant.onProviderFailure.rerank !== 'skip') {
        throw asProviderFailure(error, 'rerank provider');
      }
      warnings.push(`The rerank provider failed (${error.message}); chunks keep their fused order.`);
      return chunks;
    }
  }
}

function nothingFound(prepared: PreparedQuery): string {
  const one = prepared.scopes.length === 1;
  if (prepared.kbEmpty) return one ? NO_DOCUMENTS : NO_DOCUMENTS_ACROSS;
  return one ? NO_ANSWER : NO_ANSWER_ACROSS;
}

function withKbOf(kbId: string, retrieved: ModeResult): RetrievedAcross {
  return { ...retrieved, kbOfChunk: new Map(retrieved.chunks.map((chunk) => [chunk.id, kbId])) };
}

/**
 * Names the graph relates to the entities the question names (its low-level keywords): the second
 * hop of a question like "where is the company X leads based?". Concepts are left out: they name
 * kinds of things ("chief executive"), which every sentence of that kind shares.
 */
function secondHop(prepared: PreparedQuery): string[] {
  const named = new Set((prepared.keywords?.low ?? []).map((k) => k.toLowerCase()));
  if (named.size === 0) return [];
  const concepts = new Set(prepared.entities.filter(isConcept).map((e) => e.name.toLowerCase()));
  return (
    prepared.relations
      .flatMap((r) => {
        if (named.has(r.source.toLowerCase())) return [r.target];
        if (named.has(r.target.toLowerCase())) return [r.source];
        return [];
      })
      // The embedded extractor names concepts in lower case; they may be outside the context's entities.
      .filter((name) => !concepts.has(name.toLowerCase()) && name !== name.toLowerCase())
  );
}
