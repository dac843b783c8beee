import { type DragEvent, useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { describeError } from '../api/api-error';
import { api } from '../api/client';
import type { DocumentStatus, DocumentSummary, GraphStatus, Page } from '../api/types';
import { uploadFile } from '../api/upload';
import { ErrorText } from '../components/error-text';
import { useAction } from '../components/use-action';
import { abilitiesOf } from '../session/abilities';
import { useSession } from '../session/session';

const FILTERS: Array<DocumentStatus | ''> = ['', 'pending', 'processing', 'processed', 'failed'];
const UNFINISHED = new Set<DocumentStatus>(['pending', 'processing', 'deleting']);
/** What a processed document's graph stage reads as; a KB that does not extract shows nothing. */
const GRAPH_LABELS: Record<GraphStatus, string | null> = {
  pending: 'graph waiting',
  building: 'building graph',
  done: 'graph built',
  failed: 'graph failed',
  skipped: null,
};
const unfinished = (d: DocumentSummary) =>
  UNFINISHED.has(d.status) ||
  (d.status === 'processed' && (d.graph_status === 'pending' || d.graph_status === 'building'));
const POLL_MS = 1000;

interface Upload {
  key: string;
  name: string;
  share: number;
  error: string | null;
  done: boolean;
}

/** A KB's documents: upload many at once, watch them get processed, filter, delete, reindex. */
export function DocumentsPage() {
  const { tenantId, kbId } = useParams() as { tenantId: string; kbId: string };
  const can = abilitiesOf(useSession().membership(tenantId));
  const base = `/tenants/${tenantId}/knowledge-bases/${kbId}/documents`;
  const [filter, setFilter] = useState<DocumentStatus | ''>('');
  const [documents, setDocuments] = useState<DocumentSummary[] | null>(null);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [listError, setListError] = useState<string | null>(null);
  const { error: actionError, run } = useAction();
  const [refresh, setRefresh] = useState(0);

  // Lists the documents, and again every second while some are unfinished.
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const page = await api.get<Page<DocumentSummary>>(
          `${base}?limit=200${filter ? `&status=${filter}` : ''}`,
        );
        if (stopped) return;
        setDocuments(page.items);
        setListError(null);
        if (page.items.some(unfinished)) timer = setTimeout(load, POLL_MS);
      } catch (e) {
        if (!stopped) setListError(describeError(e));
      }
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [base, filter, refresh]);

  const upload = async (files: File[]) => {
    const batch = files.map((file, i) => ({
      key: `${Date.now()}-${i}-${file.name}`,
      name: file.name,
      share: 0,
      error: null,
      done: false,
    }));
    setUploads((current) => [...batch, ...current]);
    const update = (key: string, change: Partial<Upload>) =>
      setUploads((current) => current.map((u) => (u.key === key ? { ...u, ...change } : u)));
    await Promise.all(
      files.map(async (file, i) => {
        try {
          await uploadFile(base, file, (share) => update(batch[i].key, { share }));
          update(batch[i].key, { done: true });
        } catch (e) {
          update(batch[i].key, { error: describeError(e) });
        }
      }),
    );
    setRefresh((n) => n + 1);
  };

  const act = (call: () => Promise<unknown>) =>
    run(async () => {
      await call();
      setRefresh((n) => n + 1);
    });

  return (
    <section>
      <h1>Documents</h1>
      {can.writeDocuments && <DropZone onFiles={(files) => void upload(files)} />}
      {uploads.length > 0 && (
        <ul className="uploads" aria-label="Uploads">
          {uploads.map((u) => (
            <li key={u.key}>
              <span>{u.name}</span>
              {u.error ? (
                <span className="error">{u.error}</span>
              ) : (
                <progress max={1} value={u.share} aria-label={`Upload of ${u.name}`} />
              )}
              {u.done && <span>uploaded</span>}
            </li>
          ))}
        </ul>
      )}
      <div className="toolbar">
        <label htmlFor="status-filter">Status</label>
        <select
          id="status-filter"
          value={filter}
          onChange={(e) => setFilter(e.target.value as DocumentStatus | '')}
        >
          {FILTERS.map((f) => (
            <option key={f} value={f}>
              {f || 'all'}
            </option>
          ))}
        </select>
      </div>
      <ErrorText error={listError ?? actionError} />
      {documents && documents.length === 0 && <p>No documents{filter ? ` ${filter}` : ''}.</p>}
      {documents && documents.length > 0 && (
        <table className="documents">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Status</th>
              <th scope="col">Chunks</th>
              <th scope="col">Size</th>
              {(can.writeDocuments || can.deleteDocuments) && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {documents.map((d) => (
              <tr key={d.id} data-status={d.status}>
                <td>{d.title}</td>
                <td>
                  <span className={`status status-${d.status}`}>{d.status}</span>
                  {d.status === 'processing' && (
                    <progress max={100} value={d.progress} aria-label={`Progress of ${d.title}`} />
                  )}
                  {d.error && <div className="error">{d.error}</div>}
                  {d.status === 'processed' && GRAPH_LABELS[d.graph_status] && (
                    <div className={`graph-status graph-${d.graph_status}`}>
                      {GRAPH_LABELS[d.graph_status]}
                    </div>
                  )}
                  {d.status === 'processed' && d.graph_error && <div className="error">{d.graph_error}</div>}
                </td>
                <td>{d.chunk_count}</td>
                <td>{formatBytes(d.size_bytes)}</td>
                {(can.writeDocuments || can.deleteDocuments) && (
                  <td>
                    <div className="actions">
                      {can.writeDocuments && (
                        <button
                          type="button"
                          className="link"
                          onClick={() => void act(() => api.post(`${base}/${d.id}/reindex`))}
                        >
                          Reindex
                        </button>
                      )}
                      {can.deleteDocuments && (
                        <button
                          type="button"
                          className="link danger"
                          onClick={() => {
                            if (window.confirm(`Delete ${d.title}?`))
                              void act(() => api.delete(`${base}/${d.id}`));
                          }}
                        >
                          Delete
                        </button>
                      )}
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function DropZone({ onFiles }: { onFiles: (files: File[]) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const files = [...event.dataTransfer.files];
    if (files.length > 0) onFiles(files);
  };
  return (
    <div
      className={`dropzone${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <p>Drop files here (PDF, DOCX, HTML, Markdown, text, CSV, JSON), or</p>
      <label htmlFor="file-input" className="button">
        Choose files
      </label>
      <input
        id="file-input"
        ref={input}
        type="file"
        multiple
        className="visually-hidden"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          if (files.length > 0) onFiles(files);
          if (input.current) input.current.value = '';
        }}
      />
    </div>
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
