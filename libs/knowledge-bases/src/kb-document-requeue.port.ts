import type { EntityManager } from 'typeorm';
import type { Job } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';

/**
 * What a change of a KB asks of its documents when its vectors must be rebuilt (a new embedding
 * model): every live document back to `pending`. The documents library owns their table and
 * provides this (it depends on this library, not the other way round; see
 * `DocumentPortsModule`).
 */
export abstract class KbDocumentRequeue {
  /**
   * Puts every live document of the KB back to `pending` inside the caller's transaction, and
   * answers the ingest jobs to enqueue once it commits. Documents being deleted are left alone.
   */
  abstract requeueAll(manager: EntityManager, scope: KbScope): Promise<Job[]>;
}
