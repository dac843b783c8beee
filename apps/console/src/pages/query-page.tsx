import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { describeError } from '../api/api-error';
import { api } from '../api/client';
import { readQueryStream } from '../api/query-stream';
import {
  type Chunk,
  type Page,
  type QueryEntity,
  type QueryMode,
  type QueryRelation,
  type Reference,
} from '../api/types';
import { ErrorText } from '../components/error-text';
import { useFrame } from '../components/layout';
import { useLoad } from '../components/use-load';

interface QueryOptions {
  modes: QueryMode[];
  default_mode: QueryMode;
  answers_from: 'llm' | 'extractive';
}

interface Answer {
  text: string;
  references: Reference[];
  entities: QueryEntity[];
  relations: QueryRelation[];
  timings: Record<string, number> | null;
  warnings: string[];
  source: string | null;
  finished: boolean;
}

const EMPTY: Answer = {
  text: '',
  references: [],
  entities: [],
  relations: [],
  timings: null,
  warnings: [],
  source: null,
  finished: false,
};

/**
 * Ask a KB a question and watch the answer arrive, with what it was drawn from. Offers the modes
 * the KB answers (no `bypass` without an LLM) and says so when the KB holds no documents yet.
 */
export function QueryPage() {
  const { tenantId, kbId } = useParams() as { tenantId: string; kbId: string };
  const { kb } = useFrame();
  const base = `/tenants/${tenantId}/knowledge-bases/${kbId}`;
  const options = useLoad(() => api.get<QueryOptions>(`${base}/query/options`), [base]);
  const [question, setQuestion] = useState('');
  const [mode, setMode] = useState<QueryMode | null>(null);
  const chosenMode = mode ?? options.value?.default_mode ?? 'mix';
  const empty = kb?.document_count === 0;
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chunk, setChunk] = useState<{ reference: Reference; content: string } | null>(null);
  const running = useRef<AbortController | null>(null);

  const ask = async (event: FormEvent) => {
    event.preventDefault();
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    setError(null);
    setChunk(null);
    setAnswer({ ...EMPTY });
    try {
      const response = await api.send('POST', `${base}/query`, {
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: question, mode: chosenMode, stream: true }),
        signal: controller.signal,
      });
      for await (const item of readQueryStream(response.body!)) {
        if (item.type === 'references')
          setAnswer((a) => ({
            ...a!,
            references: item.references,
            entities: item.entities,
            relations: item.relations,
          }));
        else if (item.type === 'delta') setAnswer((a) => ({ ...a!, text: a!.text + item.text }));
        else if (item.type === 'done')
          setAnswer((a) => ({
            ...a!,
            text: item.answer ?? a!.text,
            timings: item.timings_ms,
            warnings: item.warnings,
            source: item.answer_source,
            finished: true,
          }));
        else setError(`${item.code}: ${item.message}`);
      }
    } catch (e) {
      if (!controller.signal.aborted) setError(describeError(e));
    }
  };

  const open = async (reference: Reference) => {
    try {
      setChunk({ reference, content: await chunkText(base, reference) });
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <section className="query">
      <h1>Query</h1>
      {empty && (
        <p className="notice" role="status">
          This knowledge base has no documents yet, so questions find nothing.{' '}
          <Link to={`/t/${tenantId}/kbs/${kbId}/documents`}>Add documents</Link> first.
        </p>
      )}
      {options.value?.answers_from === 'extractive' && (
        <p className="hint">
          No language model is configured: answers are the sentences of the documents that match the question
          best, with their references.
        </p>
      )}
      <form onSubmit={(e) => void ask(e)} className="query-form" aria-label="Ask a question">
        <label htmlFor="question">Question</label>
        <textarea
          id="question"
          required
          rows={3}
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
        />
        <label htmlFor="mode">Mode</label>
        <select id="mode" value={chosenMode} onChange={(e) => setMode(e.target.value as QueryMode)}>
          {(options.value?.modes ?? [chosenMode]).map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <button type="submit" disabled={empty}>
          Ask
        </button>
      </form>
      <ErrorText error={options.error ?? error} />
      {answer && (
        <div className="answer-grid">
          <article
            className="answer"
            aria-live="polite"
            aria-busy={!answer.finished}
            data-finished={answer.finished}
          >
            <h2>Answer{answer.source ? <small> ({answer.source})</small> : null}</h2>
            <p className="answer-text">{answer.text || (answer.finished ? 'No answer.' : '…')}</p>
            {answer.warnings.map((w) => (
              <p key={w} className="warning">
                {w}
              </p>
            ))}
            {answer.timings && (
              <p className="timings">
                {Object.entries(answer.timings)
                  .map(([k, v]) => `${k} ${Math.round(v)} ms`)
                  .join(' · ')}
              </p>
            )}
          </article>
          <aside>
            <h2>References</h2>
            {answer.references.length === 0 && <p>None.</p>}
            <ul className="references">
              {answer.references.map((r) => (
                <li key={r.id}>
                  <button type="button" className="link" onClick={() => void open(r)}>
                    [{r.id}] {r.title}
                  </button>
                  <p>{r.snippet}</p>
                </li>
              ))}
            </ul>
            {answer.entities.length > 0 && (
              <details className="drawn-from">
                <summary>Entities ({answer.entities.length})</summary>
                <ul className="entities">
                  {answer.entities.map((e) => (
                    <li key={e.name}>
                      <strong>{e.name}</strong> <span className="tag">{e.type}</span>
                      <p>{e.description}</p>
                    </li>
                  ))}
                </ul>
              </details>
            )}
            {answer.relations.length > 0 && (
              <details className="drawn-from">
                <summary>Relations ({answer.relations.length})</summary>
                <ul className="relations">
                  {answer.relations.map((r) => (
                    <li key={`${r.source}|${r.target}`}>
                      {r.source} — {r.target} <span className="tag">{r.keywords}</span>
                      <p>{r.description}</p>
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </aside>
        </div>
      )}
      {chunk && (
        <ChunkDialog reference={chunk.reference} content={chunk.content} onClose={() => setChunk(null)} />
      )}
    </section>
  );
}

/** A cited chunk in a modal dialog: the page behind it is inert until it closes (Close or Escape). */
function ChunkDialog({
  reference,
  content,
  onClose,
}: {
  reference: Reference;
  content: string;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  // Opened once mounted; unmounting takes it out of the page (closing it here would report a
  // close, and React's development double mount would then dismiss it at once).
  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="chunk-dialog" aria-labelledby="chunk-title" onClose={onClose}>
      <h2 id="chunk-title">
        [{reference.id}] {reference.title}
      </h2>
      <pre>{content}</pre>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </dialog>
  );
}

/** The full text of a cited chunk, paging through its document's chunks until it is found. */
async function chunkText(base: string, reference: Reference): Promise<string> {
  let cursor: string | null = null;
  do {
    const page: Page<Chunk> = await api.get<Page<Chunk>>(
      `${base}/documents/${reference.document_id}/chunks?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    const found = page.items.find((c) => c.id === reference.chunk_id);
    if (found) return found.content;
    cursor = page.next_cursor;
  } while (cursor);
  return reference.snippet;
}
