import { recordedRepeat } from './audit-error.observer';

describe('recordedRepeat', () => {
  it('records the 1st, 2nd, 4th, 8th… refusal of a window: 7 of 100', () => {
    const recorded = Array.from({ length: 100 }, (_, i) => i + 1).filter(recordedRepeat);
    expect(recorded).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(recordedRepeat(0)).toBe(false);
  });
});
