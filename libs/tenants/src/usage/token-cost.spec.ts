import { priceTokens } from './token-cost';
import type { TokenUsageRow } from './token-usage.repository';

const row = (
  model: string,
  purpose: TokenUsageRow['purpose'],
  tokensIn: number,
  tokensOut: number,
): TokenUsageRow => ({
  day: '2026-12-04',
  kb_id: 'kb',
  purpose,
  model,
  tokens_in: tokensIn,
  tokens_out: tokensOut,
});

describe('priceTokens', () => {
  it('prices prompt tokens at the input price and completion tokens at the output price', () => {
    const { rows, total, unpriced_models } = priceTokens(
      [row('chat', 'answer', 2_000_000, 500_000), row('embed', 'embedding', 1_000_000, 0)],
      [
        { model: 'chat', input_per_million: 0.15, output_per_million: 0.6 },
        { model: 'embed', input_per_million: 0.02, output_per_million: 0 },
      ],
    );
    expect(rows.map((r) => r.cost)).toEqual([0.6, 0.02]);
    expect(total).toBe(0.62);
    expect(unpriced_models).toEqual([]);
  });

  it('leaves models the table does not name unpriced, and out of the total', () => {
    const { rows, total, unpriced_models } = priceTokens(
      [row('local-llama', 'extraction', 1000, 1000), row('chat', 'keywords', 1_000_000, 0)],
      [{ model: 'chat', input_per_million: 1, output_per_million: 2 }],
    );
    expect(rows.map((r) => r.cost)).toEqual([null, 1]);
    expect(total).toBe(1);
    expect(unpriced_models).toEqual(['local-llama']);
  });
});
