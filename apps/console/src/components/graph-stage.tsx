import type { DocumentSummary, GraphStatus } from '../api/types';

/** What a processed document's graph stage reads as; a KB that does not extract shows nothing. */
const GRAPH_LABELS: Record<GraphStatus, string | null> = {
  pending: 'graph waiting',
  building: 'building graph',
  done: 'graph built',
  failed: 'graph failed',
  skipped: null,
};

/** The graph stage of a document once it is searchable (the documents list and a document's page). */
export function GraphStage({ doc }: { doc: Pick<DocumentSummary, 'status' | 'graph_status'> }) {
  const label = doc.status === 'processed' ? GRAPH_LABELS[doc.graph_status] : null;
  if (!label) return null;
  return <span className={`graph-status graph-${doc.graph_status}`}>{label}</span>;
}
