import { cleanEntityName, entityKey } from './entity-name';
import type { ChunkExtraction, ExtractedEntity, ExtractedRelation } from './extraction';

export const FIELD_DELIMITER = '<|#|>';
export const COMPLETION_MARK = '<|COMPLETE|>';

export interface ParsedExtraction extends ChunkExtraction {
  /** Records that could not be read (wrong field count, empty names, a relation to itself, chatter). */
  skipped: number;
}

/**
 * Reads a model's extraction answer in LightRAG's formats, forgiving what models get wrong:
 * records one per line (`entity<|#|>name<|#|>type<|#|>description`,
 * `relation<|#|>source<|#|>target<|#|>keywords<|#|>description`) or in the older tuple style
 * (`("entity"<|>…)##("relationship"<|>source<|>target<|>description<|>keywords<|>strength)`),
 * with quotes, brackets, bullets, markdown and text after the completion mark ignored. Records it
 * cannot read are counted and skipped, never guessed.
 */
export function parseExtractionOutput(output: string): ParsedExtraction {
  const body = output.split(COMPLETION_MARK)[0];
  const entities: ExtractedEntity[] = [];
  const relations: ExtractedRelation[] = [];
  let skipped = 0;
  for (const raw of body.split(/\n|##/)) {
    const record = raw
      .trim()
      .replace(/^(?:[-*•]|\d+[.)])\s+/, '')
      .replace(/^`+|`+$/g, '')
      .replace(/^\(|\)$/g, '')
      .trim();
    if (record.length === 0 || /^```/.test(record)) continue;
    const fields = record.split(/<\|(?:#\|)?>/).map(unquote);
    const kind = fields[0].toLowerCase();
    if (kind === 'entity') {
      const name = cleanEntityName(fields[1] ?? '');
      if (fields.length < 3 || name.length === 0) {
        skipped++;
        continue;
      }
      entities.push({ name, type: entityType(fields[2]), description: fields.slice(3).join(' ').trim() });
    } else if (kind === 'relation' || kind === 'relationship') {
      const relation = readRelation(kind, fields);
      if (relation === null) skipped++;
      else relations.push(relation);
    } else if (kind !== 'content_keywords') {
      skipped++;
    }
  }
  return { ...completeExtraction({ entities, relations }), skipped };
}

function readRelation(kind: string, fields: string[]): ExtractedRelation | null {
  if (fields.length < 5) return null;
  const source = cleanEntityName(fields[1]);
  const target = cleanEntityName(fields[2]);
  if (!source || !target || entityKey(source) === entityKey(target)) return null;
  const last = Number(fields.at(-1));
  const weighted = fields.length >= 6 && Number.isFinite(last);
  // The tuple style puts the description before the keywords; the line style after.
  const [keywords, description] = kind === 'relationship' ? [fields[4], fields[3]] : [fields[3], fields[4]];
  return {
    source,
    target,
    keywords: keywords.trim(),
    description: description.trim(),
    weight: weighted && last > 0 ? last : 1,
  };
}

const unquote = (field: string) =>
  field
    .trim()
    .replace(/^["'“”]+|["'“”]+$/g, '')
    .trim();

const entityType = (raw: string) =>
  unquote(raw)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '') || 'other';

/**
 * One entity per key (the first name and type; descriptions that differ joined), one relation per
 * pair of entities (weights added), and an entity of type `other` for each relation end that was
 * not listed, so every relation has both ends.
 */
export function completeExtraction(extraction: ChunkExtraction): ChunkExtraction {
  const entities = new Map<string, ExtractedEntity>();
  const addEntity = (entity: ExtractedEntity) => {
    const key = entityKey(entity.name);
    const known = entities.get(key);
    if (!known) entities.set(key, { ...entity });
    else if (entity.description && !known.description.includes(entity.description))
      known.description = [known.description, entity.description].filter(Boolean).join(' ');
  };
  extraction.entities.forEach(addEntity);
  const relations = new Map<string, ExtractedRelation>();
  for (const relation of extraction.relations) {
    for (const end of [relation.source, relation.target])
      if (!entities.has(entityKey(end))) addEntity({ name: end, type: 'other', description: '' });
    const [a, b] = [entityKey(relation.source), entityKey(relation.target)].sort();
    const key = `${a}\u0000${b}`;
    const known = relations.get(key);
    if (!known) {
      relations.set(key, {
        ...relation,
        source: entities.get(entityKey(relation.source))!.name,
        target: entities.get(entityKey(relation.target))!.name,
      });
    } else {
      known.weight += relation.weight;
      if (relation.description && !known.description.includes(relation.description))
        known.description = [known.description, relation.description].filter(Boolean).join(' ');
      const words = new Set([...splitKeywords(known.keywords), ...splitKeywords(relation.keywords)]);
      known.keywords = [...words].join(', ');
    }
  }
  return { entities: [...entities.values()], relations: [...relations.values()] };
}

const splitKeywords = (keywords: string) =>
  keywords
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
