import { type FormEvent, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import { parsable } from '../api/formats';
import type { Chunk, DocumentAccess, DocumentDetail, Page } from '../api/types';
import { AccessPicker } from '../components/access-picker';
import { ActionOutcome, ErrorText } from '../components/error-text';
import { formatBytes, formatWhen } from '../components/format';
import { GraphStage } from '../components/graph-stage';
import { useFrame } from '../components/layout';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';

const CHUNKS_PER_PAGE = 50;

/**
 * One document: its state and error, metadata and access list (editors change them in place,
 * without processing it again), its original to download, and its chunks in reading order.
 */
export function DocumentPage() {
  const { tenantId, kbId, docId } = useParams() as { tenantId: string; kbId: string; docId: string };
  const { can } = useFrame();
  const navigate = useNavigate();
  const path = `/tenants/${tenantId}/knowledge-bases/${kbId}/documents/${docId}`;
  const doc = useLoad(() => api.get<DocumentDetail>(path), [path]);
  const firstChunks = useLoad(() => api.get<Page<Chunk>>(`${path}/chunks?limit=${CHUNKS_PER_PAGE}`), [path]);
  // The pages after the first, as "More chunks" fetches them.
  const [later, setLater] = useState<Page<Chunk>[]>([]);
  useEffect(() => setLater([]), [path]);
  const chunks = [firstChunks.value, ...later].flatMap((page) => page?.items ?? []);
  const cursor = (later.at(-1) ?? firstChunks.value)?.next_cursor ?? null;
  const { error, done, run } = useAction();
  const more = () =>
    run(async () => {
      const page = await api.get<Page<Chunk>>(`${path}/chunks?limit=${CHUNKS_PER_PAGE}&cursor=${cursor}`);
      setLater((pages) => [...pages, page]);
    });

  const download = () =>
    run(async () => {
      const response = await api.send('GET', `${path}/original`);
      const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(
        response.headers.get('content-disposition') ?? '',
      );
      const link = document.createElement('a');
      link.href = URL.createObjectURL(await response.blob());
      link.download = name ? decodeURIComponent(name[1]) : (doc.value?.title ?? 'document');
      link.click();
      URL.revokeObjectURL(link.href);
    });

  const d = doc.value;
  return (
    <section className="document">
      <p>
        <Link to={`/t/${tenantId}/kbs/${kbId}/documents`}>← All documents</Link>
      </p>
      <h1>{d?.title ?? 'Document'}</h1>
      <ErrorText error={doc.error ?? firstChunks.error ?? error} />
      {d && (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <span className={`status status-${d.status}`}>{d.status}</span>
              <GraphStage doc={d} />
            </dd>
            {d.error && (
              <>
                <dt>Error</dt>
                <dd className="error">{d.error}</dd>
              </>
            )}
            {d.graph_error && (
              <>
                <dt>Graph error</dt>
                <dd className="error">{d.graph_error}</dd>
              </>
            )}
            <dt>File</dt>
            <dd>
              {d.source_name ?? '(text)'} · {d.mime_type} · {formatBytes(d.size_bytes)}
            </dd>
            <dt>Content</dt>
            <dd>
              {d.chunk_count} chunks, {d.token_count} tokens
            </dd>
            <dt>Added</dt>
            <dd>{formatWhen(d.created_at)}</dd>
            {d.processed_at && (
              <>
                <dt>Processed</dt>
                <dd>{formatWhen(d.processed_at)}</dd>
              </>
            )}
            <dt>Who may see it</dt>
            <dd>
              {d.access
                ? 'only the groups and people on its list, and tenant admins'
                : 'everyone who can read this knowledge base'}
            </dd>
            <dt>Metadata</dt>
            <dd>
              {Object.keys(d.metadata).length === 0 ? (
                <span className="muted-text">none</span>
              ) : (
                <pre className="metadata">{JSON.stringify(d.metadata, null, 2)}</pre>
              )}
            </dd>
          </dl>
          <div className="actions">
            <button type="button" onClick={() => void download()}>
              Download the original
            </button>
            {can.writeDocuments && (d.status === 'pending' || d.status === 'processing') && (
              <button
                type="button"
                onClick={() =>
                  void run(async () => {
                    await api.post(`${path}/cancel`);
                    await doc.reload();
                  })
                }
              >
                Cancel processing
              </button>
            )}
            {can.writeDocuments && parsable(d.mime_type) && (
              <button
                type="button"
                onClick={() =>
                  void run(async () => {
                    await api.post(`${path}/reindex`);
                    await doc.reload();
                  })
                }
              >
                Reindex
              </button>
            )}
            {can.deleteDocuments && (
              <button
                type="button"
                className="danger-button"
                onClick={() => {
                  if (window.confirm(`Delete ${d.title}?`))
                    void run(async () => {
                      const deleted = await api.delete<{ deletion_id: string }>(path);
                      await navigate(`/t/${tenantId}/kbs/${kbId}/documents`, {
                        state: { deletion: deleted.deletion_id },
                      });
                    });
                }}
              >
                Delete
              </button>
            )}
          </div>
          {can.writeDocuments && d.status !== 'deleting' && (
            <DocumentEditor
              key={d.updated_at}
              tenantId={tenantId}
              doc={d}
              onSave={async (change) => {
                const ok = await run(async () => {
                  await api.patch(path, change);
                  await doc.reload();
                }, 'Saved: it applies at once, nothing is processed again.');
                return ok;
              }}
            />
          )}
          <ActionOutcome error={null} done={done} />
          <h2>Chunks</h2>
          {chunks.length === 0 && (
            <p className="muted-text">No chunks{d.status === 'processed' ? '' : ' yet'}.</p>
          )}
          <ol className="chunks">
            {chunks.map((c) => (
              <li key={c.id}>
                <div className="chunk-meta">
                  #{c.ordinal + 1}
                  {c.heading && ` · ${c.heading}`} · {c.token_count} tokens
                </div>
                <pre>{c.content}</pre>
              </li>
            ))}
          </ol>
          {cursor && (
            <button type="button" onClick={() => void more()}>
              More chunks
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** The fields an editor changes without processing the document again: title, metadata, access. */
function DocumentEditor({
  tenantId,
  doc,
  onSave,
}: {
  tenantId: string;
  doc: DocumentDetail;
  onSave: (change: {
    title: string;
    metadata: Record<string, unknown>;
    access: DocumentAccess | null;
  }) => Promise<boolean>;
}) {
  const [title, setTitle] = useState(doc.title);
  const [metadata, setMetadata] = useState(JSON.stringify(doc.metadata, null, 2));
  const [access, setAccess] = useState<DocumentAccess | null>(doc.access);
  const [invalid, setInvalid] = useState<string | null>(null);
  const save = (event: FormEvent) => {
    event.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(metadata || '{}');
    } catch {
      parsed = null;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      setInvalid('Metadata must be a JSON object, e.g. {"department": "legal"}.');
      return;
    }
    setInvalid(null);
    void onSave({ title, metadata: parsed as Record<string, unknown>, access });
  };
  return (
    <form className="stack-form card-form document-editor" onSubmit={save} aria-label="Change the document">
      <h2>Change</h2>
      <label htmlFor="doc-title">Title</label>
      <input
        id="doc-title"
        required
        maxLength={500}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <label htmlFor="doc-metadata">Metadata (JSON)</label>
      <textarea id="doc-metadata" rows={4} value={metadata} onChange={(e) => setMetadata(e.target.value)} />
      <AccessPicker tenantId={tenantId} id="doc-access" value={access} onChange={setAccess} />
      <ErrorText error={invalid} />
      <button type="submit">Save</button>
    </form>
  );
}
