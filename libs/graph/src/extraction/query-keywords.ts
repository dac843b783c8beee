import nlp from 'compromise/two';
import type { ChatModel } from '@strata/providers';
import { EmbeddedExtractor } from './embedded-extractor';

/**
 * What a question is about, LightRAG-style: `low` names specific things (entities, to look up by
 * name and meaning), `high` the themes and kinds of relation it asks about.
 */
export interface QueryKeywords {
  high: string[];
  low: string[];
}

const extractor = new EmbeddedExtractor();
const QUESTION_WORDS = new Set(
  'what which who whom whose when where why how is are was were do does did be been can could should would will shall may might'.split(
    ' ',
  ),
);

/**
 * Keywords without a model: the question's named entities and noun phrases are low-level; its
 * other content words (verbs, nouns, adjectives) are high-level. When one level comes out empty
 * it takes the question's content words.
 */
export async function embeddedKeywords(question: string): Promise<QueryKeywords> {
  const { entities } = await extractor.extract(question);
  const low = entities.map((e) => e.name);
  const inNames = new Set(low.flatMap((name) => name.toLowerCase().split(/\s+/)));
  const terms = nlp(question)
    .json()
    .flatMap((s) => s.terms);
  const high = terms
    .filter(
      (t) =>
        (t.tags.includes('Verb') || t.tags.includes('Noun') || t.tags.includes('Adjective')) &&
        !t.tags.includes('Pronoun') &&
        !t.tags.includes('Auxiliary') &&
        !t.tags.includes('Copula'),
    )
    .map((t) => t.normal.replace(/[^\p{L}\p{N}'-]/gu, ''))
    .filter((word) => word.length > 2 && !QUESTION_WORDS.has(word) && !inNames.has(word));
  // A level the question gave nothing for searches with all its content words instead, so no graph
  // mode starts from nothing when the question has words to search with.
  const contentWords = [...new Set([...low.flatMap((name) => name.toLowerCase().split(/\s+/)), ...high])];
  return {
    high: high.length ? [...new Set(high)] : contentWords,
    low: low.length ? [...new Set(low)] : contentWords,
  };
}

const KEYWORD_PROMPT = [
  'You read a question and list its search keywords as JSON, nothing else:',
  '{"high_level_keywords": [themes, concepts and kinds of relation the question is about],',
  ' "low_level_keywords": [the specific names, things and terms it mentions]}',
].join('\n');

/** Keywords from the LLM; null when its answer holds no usable JSON. */
export async function llmKeywords(
  llm: ChatModel,
  question: string,
): Promise<{ keywords: QueryKeywords | null; tokensIn: number; tokensOut: number }> {
  const answer = await llm.complete([
    { role: 'system', content: KEYWORD_PROMPT },
    { role: 'user', content: question },
  ]);
  return {
    keywords: parseKeywordAnswer(answer.text),
    tokensIn: answer.tokensIn,
    tokensOut: answer.tokensOut,
  };
}

/** Reads `{high_level_keywords, low_level_keywords}` from a model's answer, fences and chatter aside. */
export function parseKeywordAnswer(text: string): QueryKeywords | null {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(start, end + 1));
  } catch {
    return null;
  }
  const list = (value: unknown) =>
    Array.isArray(value)
      ? [
          ...new Set(
            value
              .filter((v): v is string => typeof v === 'string')
              .map((v) => v.trim())
              .filter(Boolean),
          ),
        ]
      : [];
  const record = parsed as Record<string, unknown>;
  const keywords = { high: list(record.high_level_keywords), low: list(record.low_level_keywords) };
  return keywords.high.length + keywords.low.length > 0 ? keywords : null;
}
