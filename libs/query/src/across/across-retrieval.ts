import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  type KnowledgeBaseConfig,
  mergeKbConfig,
  type QueryMode,
  readKbConfig,
} from '@strata/knowledge-bases';
import type { ChatModel } from '@strata/providers';
import type { KbScope } from '@strata/tenancy';
import type { TenantSettings } from '@strata/tenants';
import type { QueryDto } from '../dto/query.dto';
import { ChunkRetriever, type KbPart } from '../retrieval/chunk-retriever';
import { NO_FINDINGS } from '../retrieval/graph-retriever';
import { mixed, type ModeResult, ModeRetrieval } from '../retrieval/mode-retrieval';
import { QueryKeywordsService } from '../retrieval/query-keywords.service';
import { inTurns } from './in-turns';

/** What retrieval across KBs found, and which KB each chunk came from (its reference names the KB). */
export type RetrievedAcross = ModeResult & { kbOfChunk: ReadonlyMap<string, string> };

/**
 * Retrieval for a question asked of several KBs, as one collection where that can be said and by
 * rank where it cannot:
 * - chunks (naive, and mix's naive part): one full-text ranking over the KBs with their statistics
 *   pooled, fused by rank with each KB's vector ranking (see `ChunkRetriever.retrieveAcross`);
 * - graph modes: each KB's graph walked with the question's keywords (found once, one LLM call
 *   however many KBs), the KBs' graph chunks, entities and relations taken in turns, each KB's
 *   best first (the walks' weights are each KB's own).
 * The first KB's settings (top_k, chunk_top_k, rrf_k) apply.
 */
@Injectable()
export class AcrossRetrieval {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly chunks: ChunkRetriever,
    private readonly modes: ModeRetrieval,
    private readonly keywords: QueryKeywordsService,
  ) {}

  async retrieve(
    scopes: readonly KbScope[],
    first: KnowledgeBaseConfig,
    tenant: TenantSettings,
    llm: ChatModel | null,
    dto: QueryDto,
    mode: Exclude<QueryMode, 'bypass'>,
  ): Promise<RetrievedAcross> {
    const parts: KbPart[] = await Promise.all(
      scopes.map(async (scope, i) => ({
        scope,
        kb: i === 0 ? first : ((await readKbConfig(this.dataSource, scope)) ?? mergeKbConfig(null)),
      })),
    );
    const topK = dto.top_k ?? first.query.top_k;
    const chunkTopK = dto.chunk_top_k ?? first.query.chunk_top_k;
    const documentIds = await this.documentsMatching(parts, dto);
    const naive = () =>
      this.chunks.retrieveAcross(parts, tenant, { query: dto.query, topK, chunkTopK, documentIds });
    if (mode === 'naive') {
      const found = await naive();
      return { ...found, findings: NO_FINDINGS, keywords: null, tokens: { tokensIn: 0, tokensOut: 0 } };
    }

    const warnings: string[] = [];
    const found = await this.keywords.find(dto.query, llm, tenant, warnings, {
      high: dto.hl_keywords,
      low: dto.ll_keywords,
    });
    const [graphs, plain] = await Promise.all([
      Promise.all(
        parts.map(({ scope, kb }) =>
          this.modes.graphPart(scope, kb, tenant, found.keywords, mode, dto.query, topK),
        ),
      ),
      mode === 'mix' ? naive() : null,
    ]);
    const kbOfChunk = new Map(plain?.kbOfChunk ?? []);
    graphs.forEach(({ graphIds }, i) => graphIds.forEach((id) => kbOfChunk.set(id, parts[i].scope.kbId)));
    const graphIds = inTurns(graphs.map((graph) => graph.graphIds));
    const ids = plain
      ? mixed(
          plain.chunks.map((c) => c.id),
          graphIds,
          graphs.some((graph) => graph.findings.namesEntity),
        )
      : graphIds;
    const ranked = ids
      .slice(0, chunkTopK)
      .map((id, rank) => ({ id, score: 1 / (first.query.rrf_k + rank + 1) }));
    const allowed = documentIds === undefined ? null : new Set(documentIds);
    const chunks = (await this.chunks.readAcross(parts, ranked, kbOfChunk, plain?.chunks)).filter(
      (chunk) => allowed === null || allowed.has(chunk.document_id),
    );
    return {
      chunks,
      kbOfChunk,
      findings: {
        ...NO_FINDINGS,
        entities: inTurns(graphs.map((graph) => graph.findings.entities)),
        relations: inTurns(graphs.map((graph) => graph.findings.relations)),
      },
      keywords: found.keywords,
      tokens: found.tokens,
      warnings: [...warnings, ...(plain?.warnings ?? [])],
    };
  }

  /** The documents the filters allow in any of the KBs; undefined without filters. */
  private async documentsMatching(parts: readonly KbPart[], dto: QueryDto): Promise<string[] | undefined> {
    const lists = await Promise.all(
      parts.map(({ scope }) => this.chunks.documentsMatching(scope, dto.filters)),
    );
    return lists[0] === undefined ? undefined : lists.flatMap((list) => list ?? []);
  }
}
