import { createHash } from 'node:crypto';
import type { KnowledgeBaseResponse } from '@strata/knowledge-bases';
import type { QueryResponse } from '@strata/query';

/** The Ollama API level whose routes Strata answers (what `/api/version` says). */
export const OLLAMA_API_VERSION = '0.9.0';

const TAG = 'latest';

/** A KB as an Ollama model is named: `<slug>:latest`. */
export const ollamaModelName = (kb: KnowledgeBaseResponse): string => `${kb.slug}:${TAG}`;

/** The KB an Ollama model name points at: its slug (or id), whatever the tag. */
export const kbOfModelName = (name: string): string => {
  const colon = name.lastIndexOf(':');
  return colon > 0 ? name.slice(0, colon) : name;
};

const details = {
  parent_model: '',
  format: 'strata',
  family: 'strata',
  families: ['strata'],
  parameter_size: '',
  quantization_level: '',
};

/** A KB in `/api/tags`: the digest changes when the KB does, as a model's does when it is replaced. */
export const ollamaModel = (kb: KnowledgeBaseResponse) => ({
  name: ollamaModelName(kb),
  model: ollamaModelName(kb),
  modified_at: kb.updated_at,
  size: 0,
  digest: createHash('sha256').update(`${kb.id}|${kb.updated_at}`).digest('hex'),
  details,
});

/** A KB as `/api/show` describes a model. */
export const ollamaShow = (kb: KnowledgeBaseResponse) => ({
  modelfile: '',
  parameters: '',
  template: '',
  details,
  model_info: {
    'general.architecture': 'strata',
    'general.basename': kb.slug,
    'strata.knowledge_base': kb.name,
  },
  capabilities: ['completion'],
  modified_at: kb.updated_at,
});

const ms = 1e6;

/**
 * The closing fields of a chat or generate answer: why it stopped, how long it took (Ollama counts
 * nanoseconds: total, and the answer's share as eval) and the LLM tokens the query spent.
 */
export function ollamaDone(response: QueryResponse) {
  const total = response.timings_ms.total ?? 0;
  const answer = response.timings_ms.answer ?? 0;
  return {
    done: true as const,
    done_reason: 'stop',
    total_duration: Math.round(total * ms),
    load_duration: 0,
    prompt_eval_count: response.usage.llm_tokens_in ?? 0,
    prompt_eval_duration: Math.round((total - answer) * ms),
    eval_count: response.usage.llm_tokens_out ?? 0,
    eval_duration: Math.round(answer * ms),
    strata: {
      mode: response.mode,
      references: response.references,
      answer_source: response.answer_source,
      warnings: response.warnings,
    },
  };
}
