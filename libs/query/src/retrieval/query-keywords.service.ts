import { Injectable } from '@nestjs/common';
import { embeddedKeywords, llmKeywords, type QueryKeywords } from '@strata/graph';
import { type ChatModel, ProviderError, asProviderFailure } from '@strata/providers';
import type { TenantSettings } from '@strata/tenants';

export interface FoundKeywords {
  keywords: QueryKeywords;
  source: 'llm' | 'embedded' | 'given';
  tokens: { tokensIn: number; tokensOut: number };
}

/**
 * The keywords graph modes search with: the LLM's when there is one, the embedded NLP's
 * otherwise, or when the LLM gives nothing usable. An LLM that fails is a 502/504, unless the
 * tenant chose the extractive fallback for its LLM: then the embedded keywords, with a warning.
 */
@Injectable()
export class QueryKeywordsService {
  async find(
    question: string,
    llm: ChatModel | null,
    tenant: TenantSettings,
    warnings: string[],
    given?: { high?: readonly string[]; low?: readonly string[] },
  ): Promise<FoundKeywords> {
    const none = { tokensIn: 0, tokensOut: 0 };
    // The caller's own keywords (LightRAG's hl_keywords, ll_keywords) replace extraction.
    if (given?.high !== undefined || given?.low !== undefined) {
      return {
        keywords: { high: [...(given.high ?? [])], low: [...(given.low ?? [])] },
        source: 'given',
        tokens: none,
      };
    }
    if (llm === null) return { keywords: await embeddedKeywords(question), source: 'embedded', tokens: none };
    try {
      const answer = await llmKeywords(llm, question);
      const tokens = { tokensIn: answer.tokensIn, tokensOut: answer.tokensOut };
      if (answer.keywords) return { keywords: answer.keywords, source: 'llm', tokens };
      warnings.push('The language model gave no usable keywords; the embedded ones were used.');
      return { keywords: await embeddedKeywords(question), source: 'embedded', tokens };
    } catch (error) {
      if (!(error instanceof ProviderError) || tenant.onProviderFailure.llm !== 'extractive') {
        throw asProviderFailure(error, 'language model');
      }
      warnings.push(`The language model failed (${error.message}); the embedded keywords were used.`);
      return { keywords: await embeddedKeywords(question), source: 'embedded', tokens: none };
    }
  }
}
