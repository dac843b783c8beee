import { type FormEvent, useState } from 'react';
import { rateAnswer, unrateAnswer } from '../api/conversations';
import type { Rating, Turn } from '../api/types';
import { ErrorText } from './error-text';
import { useAction } from './use-action';

/**
 * Rating an answer: Helpful, or Not helpful with what was wrong (a comment, the reference that
 * was). Pressing the chosen rating again takes it back.
 */
export function AnswerFeedback({
  tenantId,
  conversationId,
  turn,
  onSaved,
}: {
  tenantId: string;
  conversationId: string;
  turn: Turn;
  onSaved: () => void;
}) {
  const action = useAction();
  const [explaining, setExplaining] = useState(false);
  const [comment, setComment] = useState('');
  const [reference, setReference] = useState('');
  const current = turn.feedback?.rating ?? null;

  const choose = async (rating: Rating) => {
    if (current === rating) {
      if (await action.run(() => unrateAnswer(tenantId, conversationId, turn.id))) onSaved();
      return;
    }
    if (rating === 'down') {
      setExplaining(true);
      return;
    }
    if (await action.run(() => rateAnswer(tenantId, conversationId, turn.id, { rating }))) onSaved();
  };
  const explain = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await action.run(() =>
      rateAnswer(tenantId, conversationId, turn.id, {
        rating: 'down',
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        ...(reference ? { reference_id: Number(reference) } : {}),
      }),
    );
    if (saved) {
      setExplaining(false);
      onSaved();
    }
  };

  return (
    <div className="answer-feedback">
      <div className="toolbar" role="group" aria-label="Rate this answer">
        <button
          type="button"
          className="secondary"
          aria-pressed={current === 'up'}
          onClick={() => void choose('up')}
        >
          Helpful
        </button>
        <button
          type="button"
          className="secondary"
          aria-pressed={current === 'down'}
          onClick={() => void choose('down')}
        >
          Not helpful
        </button>
        {turn.feedback?.comment && <span className="muted-text">“{turn.feedback.comment}”</span>}
      </div>
      {explaining && (
        <form onSubmit={(e) => void explain(e)} className="inline-form" aria-label="What was wrong">
          <label htmlFor={`comment-${turn.id}`}>What was wrong?</label>
          <input
            id={`comment-${turn.id}`}
            maxLength={2000}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          {turn.references.length > 0 && (
            <>
              <label htmlFor={`reference-${turn.id}`}>Wrong reference</label>
              <select
                id={`reference-${turn.id}`}
                value={reference}
                onChange={(e) => setReference(e.target.value)}
              >
                <option value="">none in particular</option>
                {turn.references.map((r) => (
                  <option key={r.id} value={r.id}>
                    [{r.id}] {r.title}
                  </option>
                ))}
              </select>
            </>
          )}
          <button type="submit">Send</button>
          <button type="button" className="secondary" onClick={() => setExplaining(false)}>
            Cancel
          </button>
        </form>
      )}
      <ErrorText error={action.error} />
    </div>
  );
}
