import type { TokenUsage } from '../api/types';

/** Token use over a period, one row per KB, purpose and model, largest cost (then tokens) first. */
export interface TokenTotal {
  kb_id: string;
  purpose: TokenUsage['purpose'];
  model: string;
  tokens: number;
  /** null when the price table leaves the model out. */
  cost: number | null;
}

export function tokenTotals(rows: readonly TokenUsage[]): TokenTotal[] {
  const totals = new Map<string, TokenTotal>();
  for (const row of rows) {
    const key = `${row.kb_id}|${row.purpose}|${row.model}`;
    const total = totals.get(key) ?? {
      kb_id: row.kb_id,
      purpose: row.purpose,
      model: row.model,
      tokens: 0,
      cost: 0,
    };
    total.tokens += row.tokens_in + row.tokens_out;
    total.cost = total.cost === null || row.cost === null ? null : total.cost + row.cost;
    totals.set(key, total);
  }
  return [...totals.values()].sort((a, b) => (b.cost ?? -1) - (a.cost ?? -1) || b.tokens - a.tokens);
}
