import type { TenantScope } from '@strata/tenancy';

/** How people rated answers on one day (by the day of their last change of rating). */
export interface DailyRatings {
  day: string;
  up: number;
  down: number;
}

/**
 * The ratings of a tenant's answers for its usage report. Their table belongs to a library that
 * depends on this one, so the conversations library provides this (`ConversationPortsModule`).
 */
export abstract class AnswerRatings {
  /** The last `days` days that have ratings, newest first. */
  abstract daily(scope: TenantScope, days: number): Promise<DailyRatings[]>;
}
