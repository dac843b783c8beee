import { type FormEvent, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { describeError } from '../api/api-error';
import { api } from '../api/client';
import { readQueryStream } from '../api/query-stream';
import {
  type Chunk,
  type Page,
  QUERY_MODES,
  type QueryEntity,
  type QueryMode,
  type QueryRelation,
  type Reference,
} from '../api/types';
import { ErrorText } from '../components/error-text';

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

/** Ask a KB a question and watch the answer arrive, with what it was drawn from. */
export function QueryPage() {
  const { tenantId, kbId } = useParams() as { tenantId: string; kbId: string };
  const base = `/tenants/${tenantId}/knowledge-bases/${kbId}`;
  const [question, setQuestion] = useState('');
  const [mode, setMode] = useState<QueryMode>('mix');
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
    setAnswer({ ...EMPTY });
    try {
      const response = await api.send('POST', `${base}/query`, {
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: question, mode, stream: true }),
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
      const chunks = await api.get<Page<Chunk>>(
        `${base}/documents/${reference.document_id}/chunks?limit=200`,
      );
      const found = chunks.items.find((c) => c.id === reference.chunk_id);
      setChunk({ reference, content: found?.content ?? reference.snippet });
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <section className="query">
      <h1>Query</h1>
      <form onSubmit={ask} className="query-form" aria-label="Ask a question">
        <label htmlFor="question">Question</label>
        <textarea
          id="question"
          required
          rows={3}
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
        />
        <label htmlFor="mode">Mode</label>
        <select id="mode" value={mode} onChange={(e) => setMode(e.target.value as QueryMode)}>
          {QUERY_MODES.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <button type="submit">Ask</button>
      </form>
      <ErrorText error={error} />
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
            <ol className="references">
              {answer.references.map((r) => (
                <li key={r.id}>
                  <button type="button" className="link" onClick={() => void open(r)}>
                    [{r.id}] {r.title}
                  </button>
                  <p>{r.snippet}</p>
                </li>
              ))}
            </ol>
            {answer.entities.length > 0 && (
              <>
                <h2>Entities</h2>
                <ul className="entities">
                  {answer.entities.map((e) => (
                    <li key={e.name}>
                      <strong>{e.name}</strong> <span className="tag">{e.type}</span>
                      <p>{e.description}</p>
                    </li>
                  ))}
                </ul>
              </>
            )}
            {answer.relations.length > 0 && (
              <>
                <h2>Relations</h2>
                <ul className="relations">
                  {answer.relations.map((r) => (
                    <li key={`${r.source}|${r.target}`}>
                      {r.source} — {r.target} <span className="tag">{r.keywords}</span>
                      <p>{r.description}</p>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </aside>
        </div>
      )}
      {chunk && (
        <dialog open className="chunk-dialog" aria-labelledby="chunk-title">
          <h2 id="chunk-title">
            [{chunk.reference.id}] {chunk.reference.title}
          </h2>
          <pre>{chunk.content}</pre>
          <button type="button" onClick={() => setChunk(null)}>
            Close
          </button>
        </dialog>
      )}
    </section>
  );
}
