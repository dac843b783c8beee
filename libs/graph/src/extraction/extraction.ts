/**
 * The type of an entity that names a kind of thing ("boundary layer", "chief executive"), where
 * the other types (person, organization, location…) name one thing. Both extractors use it.
 */
export const CONCEPT_TYPE = 'concept';

export const isConcept = (entity: { type: string }): boolean => entity.type === CONCEPT_TYPE;

/** An entity as an extractor found it in one chunk. */
export interface ExtractedEntity {
  name: string;
  type: string;
  description: string;
}

/** A relation as an extractor found it in one chunk; names as in `ExtractedEntity.name`. */
export interface ExtractedRelation {
  source: string;
  target: string;
  keywords: string;
  description: string;
  weight: number;
}

/** What one chunk yielded. Every relation's ends are among `entities`. */
export interface ChunkExtraction {
  entities: ExtractedEntity[];
  relations: ExtractedRelation[];
}

/** Finds entities and relations in a chunk of text. */
export interface Extractor {
  /** Names the extractor in the ingestion audit event. */
  readonly name: string;
  extract(
    text: string,
    signal?: AbortSignal,
  ): Promise<ChunkExtraction & { tokensIn?: number; tokensOut?: number }>;
}
