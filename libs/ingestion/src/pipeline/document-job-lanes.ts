import type { ConnectionLane } from '@strata/storage';

/**
 * Which lane a document job's database statements wait in (see ConnectionGate), from the document
 * jobs this process runs per tenant: a job that starts while its tenant has none running here and
 * another tenant has is a newcomer, and its statements go ahead of the others' jobs. With the
 * embedded database's one connection, a small tenant's document otherwise took its turn behind
 * every statement of the bulk upload's documents in work beside it (2.7x its idle time to
 * searchable). A tenant whose jobs run back to back is a newcomer only when its previous one had
 * ended, so two bulk uploads still share the connection by turns.
 */
export class DocumentJobLanes {
  private readonly running = new Map<string, number>();

  /** Counts a document job of the tenant as running and says its lane. */
  start(tenantId: string): Extract<ConnectionLane, 'newcomer' | 'job'> {
    const held = this.running.get(tenantId) ?? 0;
    const lane = held === 0 && this.running.size > 0 ? 'newcomer' : 'job';
    this.running.set(tenantId, held + 1);
    return lane;
  }

  /** Counts a document job of the tenant as over. */
  end(tenantId: string): void {
    const held = (this.running.get(tenantId) ?? 0) - 1;
    if (held > 0) this.running.set(tenantId, held);
    else this.running.delete(tenantId);
  }
}
