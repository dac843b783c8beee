import { type DragEvent, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { describeError } from '../api/api-error';
import { api } from '../api/client';
import { ACCEPTED_EXTENSIONS, parsable, unsupportedType } from '../api/formats';
import type { DocumentStatus, DocumentSummary, Page } from '../api/types';
import { uploadFile } from '../api/upload';
import { ErrorText } from '../components/error-text';
import { formatBytes } from '../components/format';
import { GraphStage } from '../components/graph-stage';
import { useFrame } from '../components/layout';
import { useAction } from '../components/use-action';

const FILTERS: Array<DocumentStatus | ''> = ['', 'pending', 'processing', 'processed', 'failed'];
const UNFINISHED = new Set<DocumentStatus>(['pending', 'processing', 'deleting']);
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
  /** The document already in the KB with the same content: nothing new was stored. */
  duplicateOf: string | null;
}

/**
 * A KB's documents: upload many at once (files of a type the API cannot read are refused before
 * they are sent), watch them get processed, filter, open one, delete, reindex.
 */
export function DocumentsPage() {
  const { tenantId, kbId } = useParams() as { tenantId: string; kbId: string };
  const { can } = useFrame();
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
    const batch: Upload[] = files.map((file, i) => ({
      key: `${Date.now()}-${i}-${file.name}`,
      name: file.name,
      share: 0,
      error: unsupportedType(file),
      done: false,
      duplicateOf: null,
    }));
    setUploads((current) => [...batch, ...current]);
    const update = (key: string, change: Partial<Upload>) =>
      setUploads((current) => current.map((u) => (u.key === key ? { ...u, ...change } : u)));
    await Promise.all(
      files.map(async (file, i) => {
        if (batch[i].error !== null) return;
        try {
          const stored = await uploadFile(base, file, (share) => update(batch[i].key, { share }));
          update(batch[i].key, { done: true, duplicateOf: stored.duplicate ? stored.id : null });
        } catch (e) {
          update(batch[i].key, { error: describeError(e) });
        }
      }),
    );
    setRefresh((n) => n + 1);
  };
  const uploading = uploads.some((u) => !u.done && u.error === null);

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
        <div className="uploads-box">
          <ul className="uploads" aria-label="Uploads">
            {uploads.map((u) => (
              <li
                key={u.key}
                data-outcome={
                  u.error ? 'refused' : u.duplicateOf ? 'duplicate' : u.done ? 'uploaded' : 'sending'
                }
              >
                <span className="upload-name">{u.name}</span>
                {u.error && <span className="error">{u.error}</span>}
                {!u.error && !u.done && (
                  <progress max={1} value={u.share} aria-label={`Upload of ${u.name}`} />
                )}
                {u.done && !u.duplicateOf && <span className="ok">uploaded</span>}
                {u.duplicateOf && (
                  <span className="warning">
                    already in this knowledge base:{' '}
                    <Link to={`/t/${tenantId}/kbs/${kbId}/documents/${u.duplicateOf}`}>
                      the existing document
                    </Link>
                  </span>
                )}
              </li>
            ))}
          </ul>
          {!uploading && (
            <button type="button" className="link" onClick={() => setUploads([])}>
              Clear list
            </button>
          )}
        </div>
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
      {documents && documents.length === 0 && (
        <p className="empty">
          {filter ? `No ${filter} documents.` : 'No documents yet.'}
          {!filter && can.writeDocuments && ' Drop files above to add some.'}
        </p>
      )}
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
                <td>
                  <Link to={d.id}>{d.title}</Link>
                </td>
                <td>
                  <span className={`status status-${d.status}`}>{d.status}</span>
                  {d.status === 'processing' && (
                    <progress max={100} value={d.progress} aria-label={`Progress of ${d.title}`} />
                  )}
                  {d.error && <div className="error">{d.error}</div>}
                  <GraphStage doc={d} />
                  {d.status === 'processed' && d.graph_error && <div className="error">{d.graph_error}</div>}
                </td>
                <td>{d.chunk_count}</td>
                <td>{formatBytes(d.size_bytes)}</td>
                {(can.writeDocuments || can.deleteDocuments) && (
                  <td>
                    <div className="actions">
                      {can.writeDocuments && parsable(d.mime_type) && (
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
        accept={ACCEPTED_EXTENSIONS}
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
