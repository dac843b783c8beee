import { Injectable } from '@nestjs/common';
import type { QueryKeywords } from '@strata/graph';
import type { KnowledgeBaseConfig, QueryMode } from '@strata/knowledge-bases';
import type { ChatModel } from '@strata/providers';
import type { KbScope } from '@strata/tenancy';
import type { TenantSettings } from '@strata/tenants';
import type { QueryDto } from '../dto/query.dto';
import { ChunkRetriever } from './chunk-retriever';
import {
  alternate,
  combineFindings,
  type GraphFindings,
  GraphRetriever,
  NO_FINDINGS,
  unique,
} from './graph-retriever';
import { QueryKeywordsService } from './query-keywords.service';
import type { RankedChunk } from './ranked-chunk';

export interface ModeResult {
  /** Candidate chunks, best first (before rerank and the token budget). */
  chunks: RankedChunk[];
  findings: GraphFindings;
  keywords: QueryKeywords | null;
  tokens: { tokensIn: number; tokensOut: number };
  warnings: string[];
}

/**
 * Retrieval per mode. `naive`: chunks by vectors and full text. `local`: the graph from the
 * question's low-level keywords (entities and what surrounds them); `global`: from its high-level
 * keywords (relations); `hybrid`: both; `mix`: hybrid plus naive (see `mixed` for the order of
 * their chunks). Graph chunks are the findings' source chunks ranked for the question (see
 * `ChunkRetriever.rankForQuestion`), filtered like naive ones; chunks are scored by their rank
 * (1 / (k + rank)).
 */
@Injectable()
export class ModeRetrieval {
  constructor(
    private readonly chunks: ChunkRetriever,
    private readonly graph: GraphRetriever,
    private readonly keywords: QueryKeywordsService,
  ) {}

  /**
   * What a KB's graph gives a question in a graph mode: the findings of the local walk (from the
   * low-level keywords), the global one (from the high-level keywords) or both, and their source
   * chunks ranked for the question.
   */
  async graphPart(
    scope: KbScope,
    kb: KnowledgeBaseConfig,
    tenant: TenantSettings,
    keywords: QueryKeywords,
    mode: Exclude<QueryMode, 'bypass' | 'naive'>,
    query: string,
    topK: number,
  ): Promise<{ findings: GraphFindings; graphIds: string[] }> {
    const [local, global] = await Promise.all([
      mode === 'global' ? NO_FINDINGS : this.graph.local(scope, kb, tenant, keywords.low, topK),
      mode === 'local' ? NO_FINDINGS : this.graph.global(scope, kb, tenant, keywords.high, topK),
    ]);
    const findings = combineFindings(local, global);
    return { findings, graphIds: await this.chunks.rankForQuestion(scope, kb, query, findings.chunkIds) };
  }

  async retrieve(
    scope: KbScope,
    kb: KnowledgeBaseConfig,
    tenant: TenantSettings,
    llm: ChatModel | null,
    dto: QueryDto,
    mode: Exclude<QueryMode, 'bypass'>,
  ): Promise<ModeResult> {
    const topK = dto.top_k ?? kb.query.top_k;
    const chunkTopK = dto.chunk_top_k ?? kb.query.chunk_top_k;
    // The filters are resolved once: naive and graph chunks are limited to the same documents.
    const documentIds = await this.chunks.documentsMatching(scope, dto.filters);
    const naive = () =>
      this.chunks.retrieve(scope, kb, tenant, { query: dto.query, topK, chunkTopK, documentIds });
    if (mode === 'naive') {
      const retrieved = await naive();
      return { ...retrieved, findings: NO_FINDINGS, keywords: null, tokens: { tokensIn: 0, tokensOut: 0 } };
    }

    const warnings: string[] = [];
    const found = await this.keywords.find(dto.query, llm, tenant, warnings, {
      high: dto.hl_keywords,
      low: dto.ll_keywords,
    });
    const [{ findings, graphIds }, plain] = await Promise.all([
      this.graphPart(scope, kb, tenant, found.keywords, mode, dto.query, topK),
      mode === 'mix' ? naive() : null,
    ]);
    if (plain) warnings.push(...plain.warnings);
    const ids = plain
      ? mixed(
          plain.chunks.map((c) => c.id),
          graphIds,
          findings.namesEntity,
        )
      : graphIds;
    const fused = ids.slice(0, chunkTopK).map((id, rank) => ({ id, score: 1 / (kb.query.rrf_k + rank + 1) }));
    return {
      chunks: await this.chunks.chunksByIds(scope, fused, documentIds, plain?.chunks),
      findings,
      keywords: found.keywords,
      tokens: found.tokens,
      warnings,
    };
  }
}

/**
 * mix's chunks. When the graph walk started from an entity the question names specifically by its
 * proper name, the graph's chunks are about that entity and what it relates to, and lead, naive's
 * taken in turns with them (naive's best are often namesakes' documents sharing a word of the
 * name). Otherwise the walk started from a concept or from entities that only resemble the
 * question's words, a weaker signal than naive's ranking of the chunks themselves: naive's chunks
 * come first and the graph's after them (its entities and relations still go to the context).
 * On Cranfield, letting the graph lead for concepts too cost 2% of nDCG@10 (its chunks that naive
 * had not found were 4% relevant, naive's own 18%), and no fusion of the two lists tried
 * (reciprocal ranks, weighted or only over chunks both found) matched naive alone.
 */
export function mixed(
  naiveIds: readonly string[],
  graphIds: readonly string[],
  namesEntity: boolean,
): string[] {
  return unique(namesEntity ? alternate(graphIds, naiveIds) : [...naiveIds, ...graphIds]);
}
