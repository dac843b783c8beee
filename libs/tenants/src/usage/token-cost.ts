import type { ModelPrice } from '../config/tenant-config';
import type { TokenUsageRow } from './token-usage.repository';

/** A row of token use with its cost; null when the price table does not name its model. */
export type PricedTokenUsage = TokenUsageRow & { cost: number | null };

/**
 * Prices each row by its model's entry in the tenant's table: prompt and embedding tokens at the
 * input price, completion tokens at the output price. Costs are rounded to millionths; the total
 * is over the priced rows, and `unpriced_models` names the models the table leaves out.
 */
export function priceTokens(
  rows: readonly TokenUsageRow[],
  prices: readonly ModelPrice[],
): { rows: PricedTokenUsage[]; total: number; unpriced_models: string[] } {
  const byModel = new Map(prices.map((price) => [price.model, price]));
  const unpriced = new Set<string>();
  let total = 0;
  const priced = rows.map((row) => {
    const price = byModel.get(row.model);
    if (!price) {
      unpriced.add(row.model);
      return { ...row, cost: null };
    }
    const cost = (row.tokens_in * price.input_per_million + row.tokens_out * price.output_per_million) / 1e6;
    total += cost;
    return { ...row, cost: round(cost) };
  });
  return { rows: priced, total: round(total), unpriced_models: [...unpriced].sort() };
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
