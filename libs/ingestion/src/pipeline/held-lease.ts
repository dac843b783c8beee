/** The lease went while the job worked under it (cancelled, deleted or taken over). */
export class LeaseLost extends Error {}

/**
 * A lease a job renews while it works: a renewal every `everyMs` (and any the job asks for, e.g.
 * with its progress), each answering whether the lease is still the job's. One that answers no
 * marks it lost for good: `held` turns false and `check` stops the work. `stop` ends the renewals.
 */
export class HeldLease {
  private lost = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly renew: (progress?: number) => Promise<boolean>,
    everyMs: number,
  ) {
    this.timer = setInterval(() => void this.beat().catch(() => undefined), everyMs);
  }

  get held(): boolean {
    return !this.lost;
  }

  async beat(progress?: number): Promise<void> {
    if (!(await this.renew(progress))) this.lost = true;
  }

  check(): void {
    if (this.lost) throw new LeaseLost('the work is no longer this job’s');
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
