import nlp, { type TaggedTerm as Term } from 'compromise/two';
import { cleanEntityName, entityKey } from './entity-name';
import {
  CONCEPT_TYPE,
  type ChunkExtraction,
  type ExtractedEntity,
  type ExtractedRelation,
  type Extractor,
  isConcept,
} from './extraction';

/** A run of terms of one sentence naming an entity. */
interface Mention {
  name: string;
  type: string;
  /** Term positions within the sentence: [start, end). */
  start: number;
  end: number;
}

const ORGANIZATION_WORDS = new Set(
  (
    'ag agency analytics associates association bank co company corp corporation council foundation fund ' +
    'gmbh group holdings inc industries institute labs llc llp ltd ministry partners plc sa systems ' +
    'technologies traders trust university'
  ).split(' '),
);
const STOP_WORDS = new Set(
  (
    'a an and are as at be been being by did do does for from had has have he her him his i in into is it ' +
    'its of on or our she so than that the their them then there these they this those to was we were ' +
    'which while who whom will with would you your also not no'
  ).split(' '),
);
/** Entities per sentence that pair up into relations; beyond it a list sentence would explode. */
const MAX_ENTITIES_PER_SENTENCE = 8;
/**
 * What one chunk may yield, about what an LLM extraction gives: every entity and relation costs a
 * vector and a merge, and an unbounded noun-phrase harvest (40-50 per chunk of ordinary prose)
 * made ingestion many times slower without helping retrieval.
 */
export const MAX_ENTITIES_PER_CHUNK = 20;
export const MAX_RELATIONS_PER_CHUNK = 20;
const MAX_DESCRIPTION_SENTENCES = 3;
const MAX_KEYWORDS = 5;

/**
 * The extractor that needs no model server: named entities (runs of proper nouns, typed person,
 * location or organization from compromise's lexicon and common organisation suffixes) and noun
 * phrases (concepts: two words or more, or a single noun the chunk uses twice), related when they
 * share a sentence. A relation's weight counts the sentences they share, its keywords are the
 * content words between them, and descriptions are the sentences themselves. A chunk keeps its
 * named entities first, then its most used concepts, and the relations among what it kept,
 * those between named entities and the strongest first.
 */
export class EmbeddedExtractor implements Extractor {
  readonly name = 'embedded-nlp';

  async extract(text: string): Promise<ChunkExtraction> {
    const sentences = nlp(text)
      .json()
      .filter((s) => !/^\s*#/.test(s.text) && s.terms.length > 0);
    const singleNounUses = new Map<string, number>();
    for (const sentence of sentences)
      for (const term of sentence.terms)
        if (isCommonNoun(term) && !capitalised(term))
          singleNounUses.set(term.normal, (singleNounUses.get(term.normal) ?? 0) + 1);

    const harvest = new ChunkHarvest();
    for (const sentence of sentences) {
      const named = properNounRuns(sentence.terms);
      const covered = new Set(named.flatMap((m) => range(m.start, m.end)));
      const mentions = [...named, ...nounPhrases(sentence.terms, singleNounUses, covered)].slice(
        0,
        MAX_ENTITIES_PER_SENTENCE,
      );
      const sentenceText = sentence.text.trim();
      harvest.addEntities(mentions, sentenceText);
      // Names between two mentions are not keywords; concepts between them are ("chief executive").
      harvest.addRelations(mentions, sentence.terms, covered, sentenceText);
    }
    return harvest.kept();
  }
}

/** What one chunk's sentences name and relate, counted as they come. */
class ChunkHarvest {
  private readonly entities = new Map<string, Candidate<ExtractedEntity> & { sentences: string[] }>();
  private readonly relations = new Map<string, Candidate<ExtractedRelation> & { ends: [string, string] }>();

  /** Counts a sentence's mentions; the first sentences that mention an entity describe it. */
  addEntities(mentions: Mention[], sentenceText: string): void {
    for (const mention of mentions) {
      const key = entityKey(mention.name);
      const known = this.entities.get(key);
      if (!known) {
        this.entities.set(key, {
          item: { name: mention.name, type: mention.type, description: '' },
          named: isConcept(mention) ? 0 : 1,
          uses: 1,
          order: this.entities.size,
          sentences: [sentenceText],
        });
        continue;
      }
      known.uses++;
      if (known.sentences.length < MAX_DESCRIPTION_SENTENCES && !known.sentences.includes(sentenceText))
        known.sentences.push(sentenceText);
    }
  }

  /** Relates every two mentions of a sentence; a pair met again weighs one more. */
  addRelations(mentions: Mention[], terms: Term[], namedAt: Set<number>, sentenceText: string): void {
    for (let i = 0; i < mentions.length; i++) {
      for (let j = i + 1; j < mentions.length; j++) {
        const [first, second] =
          mentions[i].start < mentions[j].start ? [mentions[i], mentions[j]] : [mentions[j], mentions[i]];
        const [a, b] = [entityKey(first.name), entityKey(second.name)];
        if (a === b) continue;
        const pairKey = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
        const known = this.relations.get(pairKey);
        if (known) {
          known.item.weight += 1;
          known.uses++;
          continue;
        }
        this.relations.set(pairKey, {
          item: {
            source: first.name,
            target: second.name,
            keywords: relationKeywords(terms, first.end, second.start, namedAt),
            description: sentenceText,
            weight: 1,
          },
          ends: [a, b],
          named: [first, second].filter((end) => !isConcept(end)).length,
          uses: 1,
          order: this.relations.size,
        });
      }
    }
  }

  /** The chunk's strongest entities, and the strongest relations among them. */
  kept(): ChunkExtraction {
    const kept = strongest([...this.entities.entries()], MAX_ENTITIES_PER_CHUNK);
    const keptKeys = new Set(kept.map(([key]) => key));
    const keptRelations = strongest(
      [...this.relations.entries()].filter(([, r]) => r.ends.every((end) => keptKeys.has(end))),
      MAX_RELATIONS_PER_CHUNK,
    );
    return {
      entities: kept.map(([, { item, sentences }]) => ({ ...item, description: sentences.join(' ') })),
      relations: keptRelations.map(([, { item, ends }]) => ({
        ...item,
        // Names as the entity list has them, so both ends resolve to the same entity.
        source: this.entities.get(ends[0])!.item.name,
        target: this.entities.get(ends[1])!.item.name,
      })),
    };
  }
}

/** Something found in a chunk, with what ranks it: named things first, then use, then first seen. */
interface Candidate<T> {
  item: T;
  /** Named entities it is or joins (an entity 0 or 1, a relation 0 to 2). */
  named: number;
  uses: number;
  order: number;
}

/** The `limit` best candidates, kept in the order they were found. */
function strongest<C extends Candidate<unknown>>(
  candidates: Array<[string, C]>,
  limit: number,
): Array<[string, C]> {
  if (candidates.length <= limit) return candidates;
  return [...candidates]
    .sort(([, a], [, b]) => b.named - a.named || b.uses - a.uses || a.order - b.order)
    .slice(0, limit)
    .sort(([, a], [, b]) => a.order - b.order);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

const has = (term: Term, tag: string) => term.tags.includes(tag);
const capitalised = (term: Term) => /^\p{Lu}/u.test(term.text);
const isCommonNoun = (term: Term) =>
  has(term, 'Noun') &&
  !has(term, 'ProperNoun') &&
  !has(term, 'Pronoun') &&
  !has(term, 'Value') &&
  !has(term, 'Date');

/** Whether punctuation follows the term: a run of names or words does not reach past it. */
const endsClause = (term: Term) => /[.,;:!?)]/.test(term.post);

/**
 * What a run of proper nouns names, from the tagger's lexicon: a person or a place when every word
 * is one (an honorific may lead a person's name), an organization when a word is one or the run
 * ends in a word organisations' names end in.
 */
function entityType(run: Term[]): string {
  if (run.every((t) => has(t, 'Person') || has(t, 'Honorific'))) return 'person';
  if (run.every((t) => has(t, 'Place') || has(t, 'Address'))) return 'location';
  if (
    run.some((t) => has(t, 'Organization')) ||
    ORGANIZATION_WORDS.has(run.at(-1)!.normal.replace(/\.$/, ''))
  )
    return 'organization';
  return 'other';
}

/**
 * Runs of proper nouns. A capitalised word just before a run joins it (compromise does not tag
 * the first word of a sentence, as in "Northwind Traders is…"), and a run stops at punctuation
 * ("Maria Lopez, Oslo" names two).
 */
function properNounRuns(terms: Term[]): Mention[] {
  const mentions: Mention[] = [];
  let i = 0;
  while (i < terms.length) {
    if (!has(terms[i], 'ProperNoun')) {
      i++;
      continue;
    }
    let start = i;
    let end = i + 1;
    while (end < terms.length && has(terms[end], 'ProperNoun') && !endsClause(terms[end - 1])) end++;
    while (
      start > 0 &&
      capitalised(terms[start - 1]) &&
      !has(terms[start - 1], 'Determiner') &&
      !has(terms[start - 1], 'Pronoun') &&
      !has(terms[start - 1], 'Preposition') &&
      !has(terms[start - 1], 'Conjunction') &&
      !endsClause(terms[start - 1])
    )
      start--;
    const run = terms.slice(start, end);
    const name = cleanEntityName(run.map((t) => t.text).join(' '));
    if (name.length > 1 && !/^\d+$/.test(name)) mentions.push({ name, type: entityType(run), start, end });
    i = end;
  }
  return mentions;
}

/** Concepts: adjective/noun runs ending in a noun, of two words or more, or one noun used twice. */
function nounPhrases(terms: Term[], singleNounUses: Map<string, number>, covered: Set<number>): Mention[] {
  const mentions: Mention[] = [];
  const inPhrase = (at: number) => {
    const t = terms[at];
    return (
      !covered.has(at) &&
      (isCommonNoun(t) || (has(t, 'Adjective') && !has(t, 'Value'))) &&
      !STOP_WORDS.has(t.normal)
    );
  };
  let i = 0;
  while (i < terms.length) {
    if (!inPhrase(i)) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < terms.length && inPhrase(end) && !endsClause(terms[end - 1])) end++;
    // A phrase ends in a noun: drop trailing adjectives.
    let last = end;
    while (last > i && !isCommonNoun(terms[last - 1])) last--;
    const run = terms.slice(i, last);
    if (
      run.length >= 2 ||
      (run.length === 1 && (singleNounUses.get(run[0].normal) ?? 0) >= 2 && run[0].normal.length > 2)
    ) {
      const name = cleanEntityName(run.map((t) => t.normal).join(' '));
      if (name.length > 1) mentions.push({ name, type: CONCEPT_TYPE, start: i, end: last });
    }
    i = end;
  }
  return mentions;
}

/**
 * What relates two mentions: the content words between them that are not part of another mention
 * ("chief executive", "headquartered"); when there are none, the sentence's own verbs.
 */
function relationKeywords(terms: Term[], from: number, to: number, mentionAt: Set<number>): string {
  const contentWord = (t: Term) =>
    !has(t, 'Determiner') && !has(t, 'Preposition') && !has(t, 'Auxiliary') && !has(t, 'Copula');
  const words = (picked: Term[]) =>
    picked
      .map((t) => t.normal.replace(/[^\p{L}\p{N}'-]/gu, ''))
      .filter((word) => word.length > 1 && !STOP_WORDS.has(word))
      .slice(0, MAX_KEYWORDS)
      .join(' ');
  const between = words(
    range(from, to)
      .filter((at) => !mentionAt.has(at) && contentWord(terms[at]))
      .map((at) => terms[at]),
  );
  return between || words(terms.filter((t) => has(t, 'Verb') && contentWord(t)));
}
