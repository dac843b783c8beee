import type { DocumentOwnership } from '@strata/graph';
import type { Claim, DocumentClaimsRepository } from '@strata/documents';
import type { KbScope } from '@strata/tenancy';

/**
 * The graph merge's ownership check for the document of an ingest claim: the document counts as
 * owned while it still holds the claim, and is locked in the merge's transaction.
 */
export function claimedOwnership(
  claims: DocumentClaimsRepository,
  scope: KbScope,
  claim: Claim,
): DocumentOwnership {
  return async (manager, documentIds) =>
    documentIds.includes(claim.id) ? claims.lockWhileClaimed(manager, scope, claim) : [];
}
