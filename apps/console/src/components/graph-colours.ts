import type { GraphNode } from '../api/types';

/** Distinct on white and for the common kinds of colour blindness (Okabe–Ito, then two more). */
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#d55e00', '#56b4e9', '#8c6d1f', '#6a3d9a'];
export const OTHER_COLOUR = '#9aa1ad';

export interface TypeColour {
  type: string;
  colour: string;
  count: number;
}

/**
 * A colour per entity type, the most frequent types first (ties by name, so a redraw keeps them);
 * types beyond the palette share grey as "other".
 */
export function typeColours(nodes: GraphNode[]): TypeColour[] {
  const counts = new Map<string, number>();
  for (const node of nodes) counts.set(node.type || 'unknown', (counts.get(node.type || 'unknown') ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const named = ranked
    .slice(0, PALETTE.length)
    .map(([type, count], i) => ({ type, count, colour: PALETTE[i] }));
  const rest = ranked.slice(PALETTE.length).reduce((sum, [, count]) => sum + count, 0);
  return rest > 0 ? [...named, { type: 'other', count: rest, colour: OTHER_COLOUR }] : named;
}

export const colourOf = (legend: TypeColour[], type: string): string =>
  legend.find((entry) => entry.type === (type || 'unknown'))?.colour ?? OTHER_COLOUR;
