import type { TokenUsage } from '../api/types';
import { tokenTotals } from './token-totals';

const row = (
  day: string,
  purpose: TokenUsage['purpose'],
  tokens: number,
  cost: number | null,
): TokenUsage => ({
  day,
  kb_id: 'kb',
  purpose,
  model: purpose === 'embedding' ? 'embed' : 'chat',
  tokens_in: tokens,
  tokens_out: 0,
  cost,
});

describe('tokenTotals', () => {
  it('sums the days of each KB, purpose and model, costliest first; an unpriced model has no cost', () => {
    expect(
      tokenTotals([
        row('2026-12-04', 'answer', 100, 0.1),
        row('2026-12-03', 'answer', 50, 0.05),
        row('2026-12-04', 'embedding', 1000, null),
        row('2026-12-04', 'extraction', 10, 0.2),
      ]),
    ).toEqual([
      { kb_id: 'kb', purpose: 'extraction', model: 'chat', tokens: 10, cost: 0.2 },
      { kb_id: 'kb', purpose: 'answer', model: 'chat', tokens: 150, cost: expect.closeTo(0.15, 10) },
      { kb_id: 'kb', purpose: 'embedding', model: 'embed', tokens: 1000, cost: null },
    ]);
  });
});
