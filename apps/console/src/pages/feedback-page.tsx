import { useState } from 'react';
import { useParams } from 'react-router';
import { listFeedback } from '../api/conversations';
import type { Page, Rating, RatedAnswer } from '../api/types';
import { ErrorText } from '../components/error-text';
import { formatWhen, withheldOrNotKept } from '../components/format';
import { useLoad } from '../components/use-load';

/**
 * How people rated the answers this KB gave (editors and admins): newest answer first, the
 * question and answer when the tenant keeps their text, the comment and the reference named.
 */
export function FeedbackPage() {
  const { tenantId, kbId } = useParams() as { tenantId: string; kbId: string };
  const [rating, setRating] = useState<Rating | null>(null);
  const [pages, setPages] = useState<Page<RatedAnswer>[]>([]);
  const first = useLoad(async () => {
    const page = await listFeedback(tenantId, kbId, rating, null);
    setPages([page]);
    return page;
  }, [tenantId, kbId, rating]);
  const items = pages.flatMap((page) => page.items);
  const next = pages.at(-1)?.next_cursor ?? null;
  const more = async () => setPages([...pages, await listFeedback(tenantId, kbId, rating, next)]);
  return (
    <section className="feedback">
      <h1>Feedback</h1>
      <div className="toolbar">
        <label htmlFor="rating-filter">Show</label>
        <select
          id="rating-filter"
          value={rating ?? ''}
          onChange={(e) => setRating((e.target.value || null) as Rating | null)}
        >
          <option value="">all ratings</option>
          <option value="down">not helpful</option>
          <option value="up">helpful</option>
        </select>
      </div>
      <ErrorText error={first.error} />
      {first.value && items.length === 0 && <p className="muted-text">No ratings yet.</p>}
      <ul className="rated-answers">
        {items.map((item) => (
          <li key={item.turn_id} className={`rated rated-${item.rating}`}>
            <p>
              <strong>{item.rating === 'up' ? 'Helpful' : 'Not helpful'}</strong>{' '}
              <span className="muted-text">
                {formatWhen(item.updated_at)} · {item.mode}
                {item.model ? ` · ${item.model}` : ''}
              </span>
            </p>
            {item.comment && <blockquote>{item.comment}</blockquote>}
            {item.reference && (
              <p>
                Wrong reference: [{item.reference.id}] {item.reference.title}
              </p>
            )}
            <details>
              <summary>{item.question ?? 'The question was not kept'}</summary>
              <p className="answer-text">{item.answer ?? withheldOrNotKept(item.withheld)}</p>
            </details>
          </li>
        ))}
      </ul>
      {next && (
        <button type="button" className="secondary" onClick={() => void more()}>
          More
        </button>
      )}
    </section>
  );
}
