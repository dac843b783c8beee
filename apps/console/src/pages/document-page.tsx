import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import { parsable } from '../api/formats';
import type { Chunk, DocumentDetail, Page } from '../api/types';
import { ErrorText } from '../components/error-text';
import { formatBytes, formatWhen } from '../components/format';
import { GraphStage } from '../components/graph-stage';
import { useFrame } from '../components/layout';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';

const CHUNKS_PER_PAGE = 50;

/** One document: its state and error, metadata, and its chunks in reading order. */
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
  const { error, run } = useAction();
  const more = () =>
    run(async () => {
      const page = await api.get<Page<Chunk>>(`${path}/chunks?limit=${CHUNKS_PER_PAGE}&cursor=${cursor}`);
      setLater((pages) => [...pages, page]);
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
                      await api.delete(path);
                      await navigate(`/t/${tenantId}/kbs/${kbId}/documents`);
                    });
                }}
              >
                Delete
              </button>
            )}
          </div>
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
