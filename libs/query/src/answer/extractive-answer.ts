import { tokenize } from '@strata/providers';
import { plainText } from './plain-text';

export interface ContextChunk {
  /** 1-based reference number, as cited in answers ([n]). */
  ref: number;
  content: string;
}

const STOP_WORDS = new Set(
  'a an and are as at be by can do does for from has have how i in is it its of on or that the their there this to was what when where which who why will with you your'.split(
    ' ',
  ),
);
const MAX_SENTENCES = 3;

/**
 * The answer when no LLM is configured (or the tenant falls back to it): the sentences of the
 * context that share the most (non-stop-word) terms with the question, in the order of their
 * score, each followed by the citation of its chunk; a bullet list when the response type asks for
 * bullets. Returned as pieces (one per sentence, separators included) that join into the answer,
 * so a stream can send them one by one. Empty when no sentence shares a term.
 *
 * `related` are names the graph links to what the question names (its second hop): their words
 * count half a question term, so the sentence about the right company outranks ones that only
 * share the question's other words.
 */
export function extractiveAnswer(
  question: string,
  chunks: readonly ContextChunk[],
  responseType = '',
  related: readonly string[] = [],
): string[] {
  const terms = new Set(tokenize(question).filter((t) => !STOP_WORDS.has(t)));
  if (terms.size === 0) return [];
  const relatedTerms = new Set(
    related.flatMap((name) => tokenize(name)).filter((t) => !STOP_WORDS.has(t) && !terms.has(t)),
  );
  const scored: Array<{ sentence: string; ref: number; score: number; order: number }> = [];
  let order = 0;
  for (const chunk of chunks) {
    for (const sentence of splitSentences(chunk.content)) {
      const words = new Set(tokenize(sentence));
      let shared = 0;
      for (const term of terms) if ([...words].some((word) => sameStem(word, term))) shared++;
      if (shared === 0) continue;
      for (const term of relatedTerms) if (words.has(term)) shared += 0.5;
      if (shared > 0)
        scored.push({ sentence, ref: chunk.ref, score: shared / Math.sqrt(words.size + 1), order: order++ });
    }
  }
  const best = scored.sort((a, b) => b.score - a.score || a.order - b.order).slice(0, MAX_SENTENCES);
  const cited = best.map((s) => `${s.sentence} [${s.ref}]`);
  return /bullet/i.test(responseType)
    ? cited.map((line, i) => `${i > 0 ? '\n' : ''}- ${line}`)
    : cited.map((line, i) => `${i > 0 ? ' ' : ''}${line}`);
}

/** Equal, or one a prefix of the other of at least 4 letters (revenue/revenues, grow/growth). */
function sameStem(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 4 && long.startsWith(short);
}

/** Sentences of a chunk; markdown heading lines are not sentences. */
function splitSentences(text: string): string[] {
  // Headings are not sentences; what is left is read as plain text (no **, `, link syntax).
  const body = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n');
  return plainText(body)
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
