import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@strata/audit';
import { BadRequest, DomainError, ErrorCode } from '@strata/core';
import { EmbeddingSpaceService } from '@strata/ingestion';
import { mergeKbConfig, type QueryMode, readKbConfig } from '@strata/knowledge-bases';
import { ChunkTextSearch, VectorStore } from '@strata/storage';
import { KbScope, TenantContext } from '@strata/tenancy';
import { TenantConfigService, type TenantSettings, UsageService } from '@strata/tenants';
import { ChatMessage, ChatModel, ChatModelFactory, ProviderError } from '@strata/providers';
import { answerPrompt, bypassPrompt, promptText } from './answer/answer-prompt';
import { extractiveAnswer } from './answer/extractive-answer';
import { QueryDto, QueryReference, QueryResponse } from './dto/query.dto';
import { reciprocalRankFusion } from './retrieval/reciprocal-rank-fusion';

const AVAILABLE_MODES: readonly QueryMode[] = ['naive', 'bypass'];
const SNIPPET_CHARS = 240;
const NO_ANSWER = 'No answer was found in this knowledge base.';

interface ContextChunkRow {
  id: string;
  document_id: string;
  content: string;
  token_count: number;
  title: string;
}

/**
 * Answers a question over one KB. `naive` mode: dense vectors and full-text rank retrieve chunks
 * in parallel, reciprocal rank fusion merges them (k and weights from the KB's query config; a
 * weight of 0 leaves that retriever out), the best fit a token budget, and the tenant's LLM answers
 * from them citing [n] — or, with no LLM, the best sentences are extracted with citations.
 * `bypass` sends the question to the LLM alone. Streaming and the graph modes come next.
 */
@Injectable()
export class QueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly spaces: EmbeddingSpaceService,
    private readonly vectors: VectorStore,
    private readonly text: ChunkTextSearch,
    private readonly audit: AuditService,
    private readonly usage: UsageService,
    private readonly tenantConfig: TenantConfigService,
    private readonly chatModels: ChatModelFactory,
  ) {}

  async run(context: TenantContext, dto: QueryDto): Promise<QueryResponse> {
    const started = performance.now();
    const scope = context.kbScope();
    // Tenant resolution found the KB this request; a KB deleted since gets the defaults.
    const kb = (await readKbConfig(this.dataSource, scope)) ?? mergeKbConfig(null);
    const mode =
      dto.mode ?? (AVAILABLE_MODES.includes(kb.query.default_mode) ? kb.query.default_mode : 'naive');
    if (!AVAILABLE_MODES.includes(mode)) {
      throw new BadRequest(
        ErrorCode.MODE_NOT_AVAILABLE,
        `mode ${mode} is not available yet; use ${AVAILABLE_MODES.join(', ')}`,
      );
    }
    const tenant = await this.tenantConfig.settings(scope);
    const llm = this.chatModels.create(tenant.provider('llm'));
    if (mode === 'bypass') return this.bypass(scope, dto, llm, tenant, started);
    const topK = dto.top_k ?? kb.query.top_k;
    const chunkTopK = dto.chunk_top_k ?? kb.query.chunk_top_k;
    const documentIds = await this.filteredDocuments(scope, dto);

    const [vectorIds, textIds] = await Promise.all([
      this.vectorCandidates(scope, tenant, kb.embedding, dto.query, topK, documentIds),
      this.text.search(scope, dto.query, topK, documentIds).then((hits) => hits.map((h) => h.chunkId)),
    ]);
    const fused = reciprocalRankFusion(
      [
        { ids: vectorIds, weight: kb.query.vector_weight },
        { ids: textIds, weight: kb.query.text_weight },
      ].filter((list) => list.weight > 0),
      kb.query.rrf_k,
    ).slice(0, chunkTopK);
    const chunks = await this.withinBudget(
      scope,
      fused.map((f) => f.id),
      dto.max_total_tokens ?? kb.query.max_total_tokens,
    );
    const retrievalMs = performance.now() - started;

    const scores = new Map(fused.map((f) => [f.id, f.score]));
    const references: QueryReference[] = chunks.map((chunk, i) => ({
      id: i + 1,
      document_id: chunk.document_id,
      title: chunk.title,
      chunk_id: chunk.id,
      score: Math.round((scores.get(chunk.id) ?? 0) * 1e6) / 1e6,
      snippet: chunk.content.slice(0, SNIPPET_CHARS),
    }));
    const contextText = chunks.map((chunk, i) => `[${i + 1}] ${chunk.title}\n${chunk.content}`).join('\n\n');
    const messages = answerPrompt(dto.query, contextText);
    let answer: string | null = null;
    let tokens = { tokensIn: 0, tokensOut: 0 };
    if (!dto.only_need_context && !dto.only_need_prompt) {
      if (llm && chunks.length > 0) {
        const completion = await this.complete(llm, messages);
        answer = completion.text;
        tokens = completion;
      } else {
        answer =
          extractiveAnswer(
            dto.query,
            chunks.map((chunk, i) => ({ ref: i + 1, content: chunk.content })),
          ) || NO_ANSWER;
      }
    }
    const totalMs = performance.now() - started;

    await this.record(scope, tenant, {
      question: dto.query,
      mode,
      results: references.length,
      latencyMs: totalMs,
      tokens,
    });
    return {
      answer,
      mode,
      references,
      ...(dto.only_need_context ? { context: contextText } : {}),
      ...(dto.only_need_prompt ? { prompt: promptText(messages) } : {}),
      usage: {
        context_tokens: chunks.reduce((sum, c) => sum + c.token_count, 0),
        llm_tokens_in: tokens.tokensIn,
        llm_tokens_out: tokens.tokensOut,
      },
      timings_ms: {
        retrieval: Math.round(retrievalMs),
        answer: Math.round(totalMs - retrievalMs),
        total: Math.round(totalMs),
      },
    };
  }

  /** bypass: the question goes to the LLM alone, with no retrieval. */
  private async bypass(
    scope: KbScope,
    dto: QueryDto,
    llm: ChatModel | null,
    tenant: TenantSettings,
    started: number,
  ): Promise<QueryResponse> {
    if (llm === null) {
      throw new BadRequest(
        ErrorCode.LLM_NOT_CONFIGURED,
        "mode bypass needs an LLM: set the tenant's llm.base_url (or LLM_BASE_URL)",
      );
    }
    const messages = bypassPrompt(dto.query);
    const completion = dto.only_need_prompt ? null : await this.complete(llm, messages);
    const totalMs = performance.now() - started;
    const tokens = completion ?? { tokensIn: 0, tokensOut: 0 };
    await this.record(scope, tenant, {
      question: dto.query,
      mode: 'bypass',
      results: 0,
      latencyMs: totalMs,
      tokens,
    });
    return {
      answer: completion?.text ?? null,
      mode: 'bypass',
      references: [],
      ...(dto.only_need_prompt ? { prompt: promptText(messages) } : {}),
      usage: { context_tokens: 0, llm_tokens_in: tokens.tokensIn, llm_tokens_out: tokens.tokensOut },
      timings_ms: { retrieval: 0, answer: Math.round(totalMs), total: Math.round(totalMs) },
    };
  }

  private async complete(llm: ChatModel, messages: ChatMessage[]) {
    try {
      return await llm.complete(messages);
    } catch (error) {
      if (error instanceof ProviderError) {
        throw new DomainError(502, ErrorCode.PROVIDER_ERROR, `The language model failed: ${error.message}`);
      }
      throw error;
    }
  }

  /** Document ids the filters allow; undefined when there are no filters. */
  private async filteredDocuments(scope: KbScope, dto: QueryDto): Promise<string[] | undefined> {
    const filters = dto.filters;
    if (!filters || (filters.document_ids === undefined && filters.metadata === undefined)) return undefined;
    const params: unknown[] = [scope.tenantId, scope.kbId];
    let where = `tenant_id = $1 AND kb_id = $2 AND status = 'processed'`;
    if (filters.document_ids !== undefined) {
      params.push(filters.document_ids);
      where += ` AND id = ANY($${params.length}::uuid[])`;
    }
    if (filters.metadata !== undefined) {
      params.push(JSON.stringify(filters.metadata));
      where += ` AND metadata @> $${params.length}::jsonb`;
    }
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM documents WHERE ${where}`,
      params,
    );
    return rows.map((r) => r.id);
  }

  /** Chunk ids nearest to the question, in the KB's recorded embedding space (none before its first vectors). */
  private async vectorCandidates(
    scope: KbScope,
    tenant: TenantSettings,
    embedding: { model: string | null; dimension: number | null },
    question: string,
    limit: number,
    documentIds: string[] | undefined,
  ): Promise<string[]> {
    if (!embedding.model || !embedding.dimension) return [];
    const embedder = await this.spaces.embedderFor(scope, embedding.model, tenant);
    const [vector] = await embedder.embed([question]);
    const hits = await this.vectors.search(
      scope,
      { model: embedding.model, dimension: embedding.dimension },
      { vector, kind: 'chunk', limit, documentIds },
    );
    return hits.map((h) => h.id);
  }

  /** The chunks in fused order, as many as fit the token budget (at least the best one). */
  private async withinBudget(scope: KbScope, ids: string[], budget: number): Promise<ContextChunkRow[]> {
    if (ids.length === 0) return [];
    const rows: ContextChunkRow[] = await this.dataSource.query(
      `SELECT c.id, c.document_id, c.content, c.token_count, d.title
       FROM chunks c JOIN documents d ON d.id = c.document_id AND d.tenant_id = c.tenant_id
       WHERE c.tenant_id = $1 AND c.kb_id = $2 AND c.id = ANY($3::uuid[]) AND d.status <> 'deleting'`,
      [scope.tenantId, scope.kbId, ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const chosen: ContextChunkRow[] = [];
    let used = 0;
    for (const id of ids) {
      const row = byId.get(id);
      if (!row) continue;
      if (chosen.length > 0 && used + row.token_count > budget) break;
      chosen.push(row);
      used += row.token_count;
    }
    return chosen;
  }

  private async record(
    scope: KbScope,
    tenant: TenantSettings,
    run: {
      question: string;
      mode: QueryMode;
      results: number;
      latencyMs: number;
      tokens: { tokensIn: number; tokensOut: number };
    },
  ) {
    const { question, mode, results, latencyMs, tokens } = run;
    await this.dataSource.transaction(async (manager) => {
      await this.audit.record(
        {
          action: 'query.run',
          outcome: 'success',
          resourceType: 'knowledge_base',
          resourceId: scope.kbId,
          details: {
            mode,
            results,
            latency_ms: Math.round(latencyMs),
            ...(tenant.privacy.store_query_text ? { query: question } : {}),
          },
        },
        manager,
      );
      await this.usage.add(
        scope,
        { queries: 1, tokens_in: tokens.tokensIn, tokens_out: tokens.tokensOut },
        manager,
      );
    });
  }
}
