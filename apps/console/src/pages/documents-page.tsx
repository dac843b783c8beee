import { type DragEvent, useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { describeError } from '../api/api-error';
import { api } from '../api/client';
import { ACCEPTED_EXTENSIONS, parsable, unsupportedType } from '../api/formats';
import type {
  DocumentAccess,
  DocumentStatus,
  DocumentStatusCounts,
  DocumentSummary,
  Page,
} from '../api/types';
import { uploadFile } from '../api/upload';
import { AccessPicker } from '../components/access-picker';
import { DeletionReceipts } from '../components/deletion-receipts';
import { ErrorText } from '../components/error-text';
import { formatBytes } from '../components/format';
import { GraphStage } from '../components/graph-stage';
import { useFrame } from '../components/layout';
import { useAction } from '../components/use-action';

const FILTERS: Array<DocumentStatus | ''> = ['', 'pending', 'processing', 'processed', 'failed'];
/** The list's orders: `sort` and `order` of GET …/documents. */
const ORDERS = [
  { key: 'oldest', label: 'oldest first', query: 'sort=created_at&order=asc' },
  { key: 'newest', label: 'newest first', query: 'sort=created_at&order=desc' },
  { key: 'title', label: 'title A–Z', query: 'sort=title&order=asc' },
  { key: 'changed', label: 'recently changed', query: 'sort=updated_at&order=desc' },
  { key: 'largest', label: 'largest first', query: 'sort=size_bytes&order=desc' },
] as const;
const CANCELLABLE = new Set<DocumentStatus>(['pending', 'processing']);
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
 * they are sent; an access list can restrict them to groups), watch them get processed with the
 * counts per status, search, filter and sort, open one, cancel, reindex one or every failed one,
 * delete one or a selection.
 */
export function DocumentsPage() {
  const { tenantId, kbId } = useParams() as { tenantId: string; kbId: string };
  const { can } = useFrame();
  const kbBase = `/tenants/${tenantId}/knowledge-bases/${kbId}`;
  const base = `${kbBase}/documents`;
  // Receipts of the deletes made here (and of one the document page made before coming back).
  const arrivedWith = (useLocation().state as { deletion?: string } | null)?.deletion;
  const [deletions, setDeletions] = useState<string[]>(arrivedWith ? [arrivedWith] : []);
  const remember = (deletion: string | null | undefined) => {
    if (deletion) setDeletions((current) => [deletion, ...current.filter((id) => id !== deletion)]);
  };
  const [filter, setFilter] = useState<DocumentStatus | ''>('');
  const [search, setSearch] = useState('');
  const [order, setOrder] = useState<(typeof ORDERS)[number]['key']>('oldest');
  const [access, setAccess] = useState<DocumentAccess | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [counts, setCounts] = useState<DocumentStatusCounts | null>(null);
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
        const query = [
          'limit=200',
          ORDERS.find((o) => o.key === order)!.query,
          filter ? `status=${filter}` : '',
          search.trim() ? `q=${encodeURIComponent(search.trim())}` : '',
        ].filter(Boolean);
        const [page, statusCounts] = await Promise.all([
          api.get<Page<DocumentSummary>>(`${base}?${query.join('&')}`),
          api.get<DocumentStatusCounts>(`${base}/status-counts`),
        ]);
        if (stopped) return;
        setDocuments(page.items);
        setCounts(statusCounts);
        // A selection keeps only what is still listed.
        const listed = new Set(page.items.map((d) => d.id));
        setSelected((current) => new Set([...current].filter((id) => listed.has(id))));
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
  }, [base, filter, search, order, refresh]);

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
          const stored = await uploadFile(base, file, (share) => update(batch[i].key, { share }), access);
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
  const deleteSelected = () => {
    const ids = [...selected];
    if (!window.confirm(`Delete ${ids.length} ${ids.length === 1 ? 'document' : 'documents'}?`)) return;
    void act(async () => {
      remember((await api.post<{ deletion_id: string | null }>(`${base}/delete`, { ids })).deletion_id);
      setSelected(new Set());
    });
  };
  // Every document the search and status filter match, listed or not, a thousand a request.
  const deleteMatching = () => {
    const what = [filter && `${filter} documents`, search.trim() && `titles with “${search.trim()}”`]
      .filter(Boolean)
      .join(', ');
    if (!window.confirm(`Delete every document matching: ${what}?`)) return;
    void act(async () => {
      const criteria = {
        ...(filter ? { status: filter } : {}),
        ...(search.trim() ? { q: search.trim() } : {}),
      };
      for (;;) {
        const deleted = await api.post<{ more: boolean; deletion_id: string | null }>(`${base}/delete`, {
          filter: criteria,
        });
        remember(deleted.deletion_id);
        if (!deleted.more) break;
      }
      setSelected(new Set());
    });
  };
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const everyListed = (documents ?? []).filter((d) => d.status !== 'deleting');
  const allSelected = everyListed.length > 0 && everyListed.every((d) => selected.has(d.id));

  return (
    <section>
      <h1>Documents</h1>
      {can.writeDocuments && (
        <div className="upload-area">
          <AccessPicker tenantId={tenantId} id="upload-access" value={access} onChange={setAccess} />
          <DropZone onFiles={(files) => void upload(files)} />
        </div>
      )}
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
      {counts && (
        <p className="status-counts" aria-label="Documents per status">
          {counts.all} {counts.all === 1 ? 'document' : 'documents'}
          {(['pending', 'processing', 'failed'] as const)
            .filter((s) => counts[s] > 0)
            .map((s) => ` · ${counts[s]} ${s}`)}
          {can.writeDocuments && counts.failed > 0 && (
            <button
              type="button"
              className="link"
              onClick={() => void act(() => api.post(`${base}/reindex-failed`))}
            >
              Process the failed ones again
            </button>
          )}
        </p>
      )}
      <div className="toolbar">
        <span className="toolbar-field">
          <label htmlFor="document-search">Search</label>
          <input
            id="document-search"
            type="search"
            placeholder="words of the title"
            maxLength={200}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </span>
        <span className="toolbar-field">
          <label htmlFor="document-order">Order</label>
          <select
            id="document-order"
            value={order}
            onChange={(e) => setOrder(e.target.value as typeof order)}
          >
            {ORDERS.map((o) => (
              <option key={o.key} value={o.key}>
                {o.label}
              </option>
            ))}
          </select>
        </span>
        <span className="toolbar-field">
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
        </span>
        {can.deleteDocuments && (filter || search.trim()) && (documents?.length ?? 0) > 0 && (
          <button type="button" className="link danger" onClick={deleteMatching}>
            Delete every matching document
          </button>
        )}
        {can.deleteDocuments && selected.size > 0 && (
          <button type="button" className="danger-button" onClick={deleteSelected}>
            Delete {selected.size} selected
          </button>
        )}
      </div>
      <ErrorText error={listError ?? actionError} />
      <DeletionReceipts base={kbBase} ids={deletions} />
      {documents && documents.length === 0 && (
        <p className="empty">
          {search.trim()
            ? 'No document has those words in its title.'
            : filter
              ? `No ${filter} documents.`
              : 'No documents yet.'}
          {!filter && !search.trim() && can.writeDocuments && ' Drop files above to add some.'}
        </p>
      )}
      {documents && documents.length > 0 && (
        <table className="documents">
          <thead>
            <tr>
              {can.deleteDocuments && (
                <th scope="col" className="select-cell">
                  <input
                    type="checkbox"
                    aria-label="Select every listed document"
                    checked={allSelected}
                    onChange={(e) =>
                      setSelected(new Set(e.target.checked ? everyListed.map((d) => d.id) : []))
                    }
                  />
                </th>
              )}
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
                {can.deleteDocuments && (
                  <td className="select-cell">
                    {d.status !== 'deleting' && (
                      <input
                        type="checkbox"
                        aria-label={`Select ${d.title}`}
                        checked={selected.has(d.id)}
                        onChange={(e) => toggle(d.id, e.target.checked)}
                      />
                    )}
                  </td>
                )}
                <td className="document-title">
                  <Link to={d.id}>{d.title}</Link>
                  {d.access && (
                    <span className="badge" title="Only some groups and people (and tenant admins) see it">
                      restricted
                    </span>
                  )}
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
                      {can.writeDocuments && CANCELLABLE.has(d.status) && (
                        <button
                          type="button"
                          className="link"
                          onClick={() => void act(() => api.post(`${base}/${d.id}/cancel`))}
                        >
                          Cancel
                        </button>
                      )}
                      {can.writeDocuments && parsable(d.mime_type) && !CANCELLABLE.has(d.status) && (
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
                              void act(async () =>
                                remember(
                                  (await api.delete<{ deletion_id: string }>(`${base}/${d.id}`)).deletion_id,
                                ),
                              );
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
