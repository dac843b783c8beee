import type { GraphRelation, RankedEntity } from '@strata/storage';

/** Share of a query's token budget the entity list, and the relation list, may each take. */
export const GRAPH_SECTION_SHARE = 0.25;

export interface GraphSection {
  entities: RankedEntity[];
  relations: GraphRelation[];
  /** The lines that go into the context, empty without graph findings. */
  text: string;
  tokens: number;
}

/**
 * The entity and relation lines of a graph-mode context, most relevant first, each list cut to
 * its share of the budget and to half of `room` (what the chunks leave: the chunks are the
 * evidence, so they are served first), and to its cap when the query sets one (LightRAG's
 * max_entity_tokens, max_relation_tokens). Relations name their ends as the entities are named.
 */
export function graphSection(
  entities: readonly RankedEntity[],
  relations: readonly GraphRelation[],
  names: ReadonlyMap<string, string>,
  budget: number,
  countTokens: (text: string) => number,
  room: number = budget,
  caps: { entities?: number; relations?: number } = {},
): GraphSection {
  const limit = Math.floor(Math.min(budget * GRAPH_SECTION_SHARE, Math.max(0, room) / 2));
  const pick = <T>(items: readonly T[], line: (item: T) => string, cap = Infinity) => {
    const within = Math.min(limit, cap);
    const chosen: Array<{ item: T; line: string }> = [];
    let used = 0;
    for (const item of items) {
      const text = line(item);
      const tokens = countTokens(text);
      if (used + tokens > within) break;
      chosen.push({ item, line: text });
      used += tokens;
    }
    return { chosen, used };
  };
  const name = (key: string) => names.get(key) ?? key;
  const e = pick(entities, (x) => `- ${x.name} (${x.type}): ${oneLine(x.description)}`, caps.entities);
  const r = pick(
    relations,
    (x) => `- ${name(x.sourceKey)} — ${name(x.targetKey)} [${x.keywords}]: ${oneLine(x.description)}`,
    caps.relations,
  );
  const parts = [
    ...(e.chosen.length ? [`Entities:\n${e.chosen.map((c) => c.line).join('\n')}`] : []),
    ...(r.chosen.length ? [`Relations:\n${r.chosen.map((c) => c.line).join('\n')}`] : []),
  ];
  return {
    entities: e.chosen.map((c) => c.item),
    relations: r.chosen.map((c) => c.item),
    text: parts.join('\n\n'),
    tokens: e.used + r.used,
  };
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
