import type { BenchTenant } from '../bench-tenant';
import { waitUntilSearchable } from '../bench-tenant';
import { median } from '../scale/latency';

/** How long a small tenant waits for one document while another tenant ingests a bulk upload. */
export interface Fairness {
  bulk_documents: number;
  /** Upload to searchable of the small tenant's document on an idle server (median of SAMPLES). */
  idle_seconds: number;
  /** The same, uploaded one after another just after the other tenant's bulk upload went in. */
  beside_bulk_seconds: number;
  /** beside / idle; the target is under 2. */
  ratio: number;
  /** The bulk tenant's documents still waiting when the small ones had become searchable. */
  bulk_waiting_then: number;
}

const BULK_BATCH = 100;
/**
 * Small documents timed each way, one after another; the medians are compared. An idle document
 * is searchable in 20-100 ms, and one sample each way made the ratio of two such figures swing
 * between 1.0 and 2.8 from run to run of one build.
 */
const SAMPLES = 5;
/**
 * The small document is polled by id this often: on an idle server it is searchable in a few tens
 * of milliseconds, and a list polled every 200 ms (as the bulk is) made the ratio jump between
 * about 1 and 6 with where the upload fell between two polls.
 */
const POLL_MS = 5;

/**
 * Documents of `small` timed to searchable: SAMPLES on the idle server, then SAMPLES right after
 * `bulk` uploaded `bulkDocuments` short documents (they wait in the queue ahead of them).
 */
export async function measureFairness(
  small: BenchTenant,
  bulk: BenchTenant,
  bulkDocuments: number,
): Promise<Fairness> {
  const smallDocs = `/api/v1/tenants/${small.tenantId}/knowledge-bases/${await small.createKnowledgeBase()}/documents`;
  const bulkDocs = `/api/v1/tenants/${bulk.tenantId}/knowledge-bases/${await bulk.createKnowledgeBase()}/documents`;
  const timeOne = async (text: string) => {
    const started = performance.now();
    const { documents } = await small.admin.call<{ documents: Array<{ id: string }> }>('POST', smallDocs, {
      title: 'Ferries',
      text,
    });
    for (;;) {
      const doc = await small.admin.call<{ status: string }>('GET', `${smallDocs}/${documents[0].id}`);
      if (doc.status === 'processed' || doc.status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return (performance.now() - started) / 1000;
  };
  const timeSeveral = async (text: string) => {
    const seconds: number[] = [];
    for (let i = 0; i < SAMPLES; i++) seconds.push(await timeOne(`${text} (${i + 1})`));
    return median(seconds);
  };
  const idle = await timeSeveral('The ferries leave the pier at seven every morning and return at six.');
  for (let i = 0; i < bulkDocuments; i += BULK_BATCH) {
    await bulk.admin.call('POST', bulkDocs, {
      documents: Array.from({ length: Math.min(BULK_BATCH, bulkDocuments - i) }, (_, j) => ({
        title: `note ${i + j}`,
        text: `Note ${i + j}: the survey of site ${i + j} recorded ${(i + j) % 97} samples of granite.`,
      })),
    });
  }
  const beside = await timeSeveral('The lighthouse keeper lights the lamp at dusk and logs every ship.');
  const waiting = await bulk.admin.call<{ items: unknown[] }>('GET', `${bulkDocs}?status=pending&limit=200`);
  await waitUntilSearchable(bulk.admin, bulkDocs);
  return {
    bulk_documents: bulkDocuments,
    idle_seconds: round(idle),
    beside_bulk_seconds: round(beside),
    ratio: round(beside / idle),
    bulk_waiting_then: waiting.items.length,
  };
}

const round = (value: number) => Math.round(value * 100) / 100;
