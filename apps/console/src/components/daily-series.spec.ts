import { compactNumber, lastDays, shortDay } from './daily-series';

describe('lastDays', () => {
  it('fills the days without activity with 0, oldest first, ending today', () => {
    const series = lastDays(
      [
        { day: '2026-12-02', value: 5 },
        { day: '2026-11-30', value: 2 },
        { day: '2026-10-01', value: 9 },
      ],
      4,
      new Date('2026-12-02T23:59:00Z'),
    );
    expect(series).toEqual([
      { day: '2026-11-29', value: 0 },
      { day: '2026-11-30', value: 2 },
      { day: '2026-12-01', value: 0 },
      { day: '2026-12-02', value: 5 },
    ]);
  });
});

describe('axis labels', () => {
  it('reads days and large numbers briefly', () => {
    expect(shortDay('2026-12-02')).toBe('2 Dec');
    expect(compactNumber(1234)).toBe('1,234');
    expect(compactNumber(1_250_000)).toBe('1.3M');
  });
});
