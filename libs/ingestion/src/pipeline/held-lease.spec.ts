import { HeldLease, LeaseLost } from './held-lease';

describe('HeldLease', () => {
  it('stays held while renewals answer yes, and is lost for good after one answers no', async () => {
    const answers = [true, false, true];
    const lease = new HeldLease(async () => answers.shift()!, 60_000);
    try {
      await lease.beat();
      expect(lease.held).toBe(true);
      expect(() => lease.check()).not.toThrow();
      await lease.beat(40);
      expect(lease.held).toBe(false);
      await lease.beat();
      expect(lease.held).toBe(false);
      expect(() => lease.check()).toThrow(LeaseLost);
    } finally {
      lease.stop();
    }
  });

  it('renews on its own every interval until stopped, passing progress only when asked', async () => {
    jest.useFakeTimers();
    const renewals: Array<number | undefined> = [];
    const lease = new HeldLease(async (progress) => (renewals.push(progress), true), 1_000);
    try {
      await jest.advanceTimersByTimeAsync(3_000);
      expect(renewals).toEqual([undefined, undefined, undefined]);
      await lease.beat(50);
      lease.stop();
      await jest.advanceTimersByTimeAsync(3_000);
      expect(renewals).toEqual([undefined, undefined, undefined, 50]);
    } finally {
      lease.stop();
      jest.useRealTimers();
    }
  });
});
