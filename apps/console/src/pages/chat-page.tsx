import { type FormEvent, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { describeError } from '../api/api-error';
import { api } from '../api/client';
import {
  conversationsPath,
  deleteConversation,
  listConversations,
  readConversation,
  renameConversation,
  startConversation,
} from '../api/conversations';
import { listKnowledgeBases } from '../api/knowledge-bases';
import { readQueryStream } from '../api/query-stream';
import type { Conversation, KnowledgeBase, Reference } from '../api/types';
import { AnswerFeedback } from '../components/answer-feedback';
import { withheldOrNotKept } from '../components/format';
import { ErrorText } from '../components/error-text';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';

/** An answer being written: the question asked and what has come of the answer so far. */
interface Pending {
  question: string;
  text: string;
  references: Reference[];
}

/**
 * Conversations with one or several KBs: the list of one's own, a form to start one (the KBs
 * ticked), and the open one with its turns, each answer's references naming its KB, buttons to
 * rate the answer, and the next question, whose answer streams in.
 */
export function ChatPage() {
  const { tenantId, conversationId } = useParams() as { tenantId: string; conversationId?: string };
  const navigate = useNavigate();
  const kbs = useLoad(() => listKnowledgeBases(tenantId), [tenantId]);
  const conversations = useLoad(() => listConversations(tenantId), [tenantId]);
  const kbNames = new Map((kbs.value?.items ?? []).map((kb) => [kb.id, kb.name]));
  return (
    <section className="chat">
      <h1>Chat</h1>
      <div className="chat-layout">
        <aside className="chat-side" aria-label="Conversations">
          <StartConversation
            tenantId={tenantId}
            kbs={kbs.value?.items ?? []}
            onStarted={(id) => {
              void conversations.reload();
              void navigate(`/t/${tenantId}/chat/${id}`);
            }}
          />
          <h2>Your conversations</h2>
          <ErrorText error={kbs.error ?? conversations.error} />
          {conversations.value?.items.length === 0 && <p className="muted-text">None yet.</p>}
          <ul className="conversation-list">
            {(conversations.value?.items ?? []).map((c) => (
              <li key={c.id} aria-current={c.id === conversationId ? 'page' : undefined}>
                <Link to={`/t/${tenantId}/chat/${c.id}`}>{c.title}</Link>
                <small>{c.knowledge_base_ids.map((id) => kbNames.get(id) ?? 'a KB').join(', ')}</small>
              </li>
            ))}
          </ul>
        </aside>
        {conversationId ? (
          <ConversationView
            key={conversationId}
            tenantId={tenantId}
            id={conversationId}
            kbNames={kbNames}
            onChanged={() => void conversations.reload()}
            onDeleted={() => {
              void conversations.reload();
              void navigate(`/t/${tenantId}/chat`);
            }}
          />
        ) : (
          <p className="muted-text chat-empty">Start a conversation, or open one of yours.</p>
        )}
      </div>
    </section>
  );
}

function StartConversation({
  tenantId,
  kbs,
  onStarted,
}: {
  tenantId: string;
  kbs: KnowledgeBase[];
  onStarted: (id: string) => void;
}) {
  const [chosen, setChosen] = useState<string[]>([]);
  const action = useAction();
  const start = async (event: FormEvent) => {
    event.preventDefault();
    let id = '';
    if (await action.run(async () => (id = (await startConversation(tenantId, chosen)).id))) {
      setChosen([]);
      onStarted(id);
    }
  };
  return (
    <form onSubmit={(e) => void start(e)} aria-label="New conversation" className="new-conversation">
      <fieldset className="kb-picker">
        <legend>New conversation with</legend>
        {kbs.map((kb) => (
          <label key={kb.id}>
            <input
              type="checkbox"
              checked={chosen.includes(kb.id)}
              onChange={(e) =>
                setChosen(e.target.checked ? [...chosen, kb.id] : chosen.filter((k) => k !== kb.id))
              }
            />{' '}
            {kb.name}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={chosen.length === 0}>
        Start
      </button>
      <ErrorText error={action.error} />
    </form>
  );
}

function ConversationView({
  tenantId,
  id,
  kbNames,
  onChanged,
  onDeleted,
}: {
  tenantId: string;
  id: string;
  kbNames: Map<string, string>;
  onChanged: () => void;
  onDeleted: () => void;
}) {
  const conversation = useLoad(() => readConversation(tenantId, id), [tenantId, id]);
  const [question, setQuestion] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = useRef<AbortController | null>(null);
  const c = conversation.value;

  const ask = async (event: FormEvent) => {
    event.preventDefault();
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    setError(null);
    setPending({ question, text: '', references: [] });
    try {
      const response = await api.send('POST', `${conversationsPath(tenantId)}/${id}/messages`, {
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: question, stream: true }),
        signal: controller.signal,
      });
      for await (const item of readQueryStream(response.body!)) {
        if (item.type === 'references') setPending((p) => ({ ...p!, references: item.references }));
        else if (item.type === 'delta') setPending((p) => ({ ...p!, text: p!.text + item.text }));
        else if (item.type === 'error') setError(`${item.code}: ${item.message}`);
      }
      setQuestion('');
      await conversation.reload();
      setPending(null);
      onChanged();
    } catch (e) {
      if (!controller.signal.aborted) setError(describeError(e));
      setPending(null);
    }
  };

  return (
    <article className="conversation" aria-label={c?.title ?? 'Conversation'}>
      <ErrorText error={conversation.error} />
      {c && (
        <>
          <ConversationHeader
            tenantId={tenantId}
            conversation={c}
            kbNames={kbNames}
            onRenamed={() => {
              void conversation.reload();
              onChanged();
            }}
            onDeleted={onDeleted}
          />
          <ol className="turns">
            {c.turns.map((turn) => (
              <li key={turn.id} className="turn">
                <p className="turn-question">{turn.question ?? <em>The question was not kept.</em>}</p>
                <div className="turn-answer">
                  <p className="answer-text">{turn.answer ?? <em>{withheldOrNotKept(turn.withheld)}</em>}</p>
                  <References references={turn.references} kbNames={kbNames} />
                  <AnswerFeedback
                    tenantId={tenantId}
                    conversationId={c.id}
                    turn={turn}
                    onSaved={() => void conversation.reload()}
                  />
                </div>
              </li>
            ))}
            {pending && (
              <li className="turn" aria-busy="true">
                <p className="turn-question">{pending.question}</p>
                <div className="turn-answer">
                  <p className="answer-text">{pending.text || '…'}</p>
                  <References references={pending.references} kbNames={kbNames} />
                </div>
              </li>
            )}
          </ol>
          {c.turns.length === 0 && !pending && <p className="muted-text">Ask the first question below.</p>}
          <form onSubmit={(e) => void ask(e)} className="query-form" aria-label="Ask in this conversation">
            <label htmlFor="chat-question">Your question</label>
            <textarea
              id="chat-question"
              required
              rows={2}
              value={question}
              onChange={(e) => setQuestion(e.target.value)}
            />
            <button type="submit" disabled={pending !== null}>
              Ask
            </button>
          </form>
          <ErrorText error={error} />
        </>
      )}
    </article>
  );
}

function ConversationHeader({
  tenantId,
  conversation,
  kbNames,
  onRenamed,
  onDeleted,
}: {
  tenantId: string;
  conversation: Conversation;
  kbNames: Map<string, string>;
  onRenamed: () => void;
  onDeleted: () => void;
}) {
  const [title, setTitle] = useState<string | null>(null);
  const action = useAction();
  const rename = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(() => renameConversation(tenantId, conversation.id, title!))) {
      setTitle(null);
      onRenamed();
    }
  };
  const remove = async () => {
    if (!window.confirm(`Delete “${conversation.title}” with all its answers?`)) return;
    if (await action.run(() => deleteConversation(tenantId, conversation.id))) onDeleted();
  };
  return (
    <header className="conversation-header">
      {title === null ? (
        <h2>{conversation.title}</h2>
      ) : (
        <form onSubmit={(e) => void rename(e)} className="inline-form" aria-label="Rename conversation">
          <label htmlFor="conversation-title">Title</label>
          <input
            id="conversation-title"
            required
            maxLength={200}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
          <button type="submit">Save</button>
          <button type="button" className="secondary" onClick={() => setTitle(null)}>
            Cancel
          </button>
        </form>
      )}
      <p className="muted-text">
        With {conversation.knowledge_base_ids.map((kb) => kbNames.get(kb) ?? 'a KB').join(', ')}
      </p>
      {title === null && (
        <div className="toolbar">
          <button type="button" className="secondary" onClick={() => setTitle(conversation.title)}>
            Rename
          </button>
          <button type="button" className="danger-button" onClick={() => void remove()}>
            Delete
          </button>
        </div>
      )}
      <ErrorText error={action.error} />
    </header>
  );
}

/** An answer's references, each naming its KB when the conversation asks several. */
function References({
  references,
  kbNames,
}: {
  references: Array<Omit<Reference, 'snippet'> & { snippet?: string }>;
  kbNames: Map<string, string>;
}) {
  if (references.length === 0) return null;
  return (
    <ul className="references">
      {references.map((r) => (
        <li key={r.id}>
          [{r.id}] {r.title} <span className="tag">{kbNames.get(r.knowledge_base_id) ?? 'a KB'}</span>
          {r.snippet && <p>{r.snippet}</p>}
        </li>
      ))}
    </ul>
  );
}
