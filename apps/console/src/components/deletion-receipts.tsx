import { useEffect, useState } from 'react';
import { describeError } from '../api/api-error';
import { api } from '../api/client';
import type { DeletionReceipt } from '../api/types';
import { remainsText } from './deletion-remains';

const POLL_MS = 1000;

/** One receipt, asked again every second until every store has let go of its documents. */
function ReceiptLine({ path }: { path: string }) {
  const [receipt, setReceipt] = useState<DeletionReceipt | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const next = await api.get<DeletionReceipt>(path);
        if (stopped) return;
        setReceipt(next);
        setError(null);
        if (next.status !== 'complete') timer = setTimeout(load, POLL_MS);
      } catch (e) {
        if (!stopped) setError(describeError(e));
      }
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [path]);
  if (error) return <li className="error">{error}</li>;
  if (!receipt) return <li>Checking the stores…</li>;
  const count = receipt.document_ids.length;
  const what = `${count} ${count === 1 ? 'document' : 'documents'}`;
  return (
    <li data-status={receipt.status}>
      {receipt.status === 'complete' ? (
        <span className="ok">Deleted {what}: no store holds anything of them.</span>
      ) : (
        <span>
          Deleting {what}; still stored: {remainsText(receipt.remains)}.
        </span>
      )}{' '}
      <span className="receipt-id" title={`Deletion receipt ${receipt.id}`}>
        {/* The id's end: its start is a timestamp, shared by receipts made together. */}
        receipt …{receipt.id.slice(-8)}
      </span>
    </li>
  );
}

/** The receipts of the deletes made on this page, newest first, each checked until complete. */
export function DeletionReceipts({ base, ids }: { base: string; ids: readonly string[] }) {
  if (ids.length === 0) return null;
  return (
    <ul className="deletions" aria-label="Deletions">
      {ids.map((id) => (
        <ReceiptLine key={id} path={`${base}/deletions/${id}`} />
      ))}
    </ul>
  );
}
