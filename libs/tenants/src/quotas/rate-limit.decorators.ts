import { SetMetadata } from '@nestjs/common';

export const COUNTS_AS_QUERY_KEY = 'strata:counts_as_query';

/** Marks a handler whose calls count against the tenant's queries_per_minute. */
export const CountsAsQuery = () => SetMetadata(COUNTS_AS_QUERY_KEY, true);
