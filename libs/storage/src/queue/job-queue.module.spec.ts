import { jobLockSettings } from './job-queue.module';

const withLease = (leaseSeconds: number) => jobLockSettings({ ingestion: { leaseSeconds } as never });

describe('jobLockSettings', () => {
  it("keeps Bull's 30 s lock and stalled-job check under the default 120 s lease", () => {
    expect(withLease(120)).toEqual({ lockDuration: 30_000, stalledInterval: 30_000 });
  });

  it("follows a shorter lease, so a dead worker's jobs return to the queue sooner", () => {
    expect(withLease(5)).toEqual({ lockDuration: 5_000, stalledInterval: 5_000 });
    expect(withLease(30)).toEqual({ lockDuration: 30_000, stalledInterval: 30_000 });
  });
});
