import type { ChatMessage, ChatModel } from '@strata/providers';
import {
  COMPLETION_MARK,
  completeExtraction,
  FIELD_DELIMITER,
  parseExtractionOutput,
} from './extraction-output';
import { CONCEPT_TYPE, type ChunkExtraction, type Extractor } from './extraction';

export const DEFAULT_ENTITY_TYPES = ['person', 'organization', 'location', 'event', 'product', CONCEPT_TYPE];

const d = FIELD_DELIMITER;
const INSTRUCTIONS = (entityTypes: readonly string[]) =>
  [
    'You build a knowledge graph from text. Find the entities the text names and the relations between them.',
    `Entity types: ${entityTypes.join(', ')}; use "other" for anything else.`,
    'Write one record per line and nothing else:',
    `entity${d}<name as written in the text>${d}<type>${d}<what the text says about it, in one or two sentences>`,
    `relation${d}<source entity name>${d}<target entity name>${d}<a few keywords for the kind of relation, comma separated>${d}<what the text says about how they relate>`,
    'Every relation must join two entities you listed. Use only facts stated in the text.',
    `End with ${COMPLETION_MARK} on its own line.`,
  ].join('\n');

const GLEANING =
  'Some entities or relations in the text may be missing from your answer. List only the missing ones, ' +
  `in the same format, then ${COMPLETION_MARK}. If nothing is missing, answer ${COMPLETION_MARK} alone.`;

/**
 * LightRAG-style extraction by the tenant's LLM: one pass over the chunk, then one gleaning pass
 * that asks for what the first missed; both answers are read leniently and merged.
 */
export class LlmExtractor implements Extractor {
  readonly name: string;

  constructor(
    private readonly llm: ChatModel,
    private readonly entityTypes: readonly string[] = DEFAULT_ENTITY_TYPES,
  ) {
    this.name = `llm:${llm.model}`;
  }

  async extract(
    text: string,
    signal?: AbortSignal,
  ): Promise<ChunkExtraction & { tokensIn: number; tokensOut: number }> {
    const messages: ChatMessage[] = [
      { role: 'system', content: INSTRUCTIONS(this.entityTypes) },
      { role: 'user', content: `Text:\n${text}` },
    ];
    const first = await this.llm.complete(messages, signal);
    const gleaned = await this.llm.complete(
      [...messages, { role: 'assistant', content: first.text }, { role: 'user', content: GLEANING }],
      signal,
    );
    const a = parseExtractionOutput(first.text);
    const b = parseExtractionOutput(gleaned.text);
    return {
      ...completeExtraction({
        entities: [...a.entities, ...b.entities],
        relations: [...a.relations, ...b.relations],
      }),
      tokensIn: first.tokensIn + gleaned.tokensIn,
      tokensOut: first.tokensOut + gleaned.tokensOut,
    };
  }
}
