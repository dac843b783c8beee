import type { KnowledgeBaseConfig } from '@strata/knowledge-bases';
import type { ChatModel } from '@strata/providers';
import { EmbeddedExtractor } from './embedded-extractor';
import type { Extractor } from './extraction';
import { LlmExtractor } from './llm-extractor';

/** The KB asked for LLM extraction and no LLM is configured for its tenant. */
export class ExtractionUnavailable extends Error {}

const inProcess = new EmbeddedExtractor();

/**
 * The extractor a KB's config asks for: none when extraction is off; the LLM for `llm` (an error
 * without one) and for `auto` when there is one; the embedded extractor otherwise (`embedded`
 * replaces the in-process one, e.g. with one that runs on worker threads).
 */
export function chooseExtractor(
  kb: KnowledgeBaseConfig,
  llm: ChatModel | null,
  embedded: Extractor = inProcess,
): Extractor | null {
  if (!kb.extraction.enabled) return null;
  const method = kb.extraction.method;
  if (method === 'embedded' || (method === 'auto' && llm === null)) return embedded;
  if (llm === null) {
    throw new ExtractionUnavailable(
      "the knowledge base extracts its graph with an LLM (extraction.method llm) and the tenant has none: set the tenant's llm.base_url, or the KB's extraction.method to auto or embedded",
    );
  }
  return new LlmExtractor(llm);
}
