import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { listKnowledgeBases } from '../api/knowledge-bases';
import type { KnowledgeBase } from '../api/types';
import { ActionOutcome, ErrorText } from '../components/error-text';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';
import { useFrame } from '../components/layout';

export function KnowledgeBasesPage() {
  const { tenantId } = useParams() as { tenantId: string };
  const { can } = useFrame();
  const kbs = useLoad(() => listKnowledgeBases(tenantId), [tenantId]);
  const { error, run } = useAction();

  const setStatus = (kb: KnowledgeBase, status: KnowledgeBase['status']) =>
    run(async () => {
      await api.patch(`/tenants/${tenantId}/knowledge-bases/${kb.id}`, { status });
      await kbs.reload();
    });

  return (
    <section>
      <h1>Knowledge bases</h1>
      <ErrorText error={kbs.error ?? error} />
      {can.createKnowledgeBase && <CreateKnowledgeBase tenantId={tenantId} onCreated={kbs.reload} />}
      {kbs.value && kbs.value.items.length === 0 && <p>No knowledge base yet.</p>}
      <ul className="tiles">
        {kbs.value?.items.map((kb) => (
          <li key={kb.id} className={kb.status === 'archived' ? 'muted' : ''}>
            <Link to={`/t/${tenantId}/kbs/${kb.id}/documents`}>
              <strong>{kb.name}</strong>
              <span>
                {kb.document_count} documents{kb.status === 'archived' ? ' · archived' : ''}
              </span>
            </Link>
            <div className="actions">
              <Link to={`/t/${tenantId}/kbs/${kb.id}/query`}>Query</Link>
              {can.manageTenant && (
                <button
                  type="button"
                  className="link"
                  onClick={() => void setStatus(kb, kb.status === 'active' ? 'archived' : 'active')}
                >
                  {kb.status === 'active' ? 'Archive' : 'Reactivate'}
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function CreateKnowledgeBase({ tenantId, onCreated }: { tenantId: string; onCreated: () => Promise<void> }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const { error, done, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await api.post(`/tenants/${tenantId}/knowledge-bases`, {
        name,
        ...(description ? { description } : {}),
      });
      setName('');
      setDescription('');
      await onCreated();
    }, `Knowledge base “${name}” created.`);
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="New knowledge base">
      <label htmlFor="kb-name">Name</label>
      <input id="kb-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor="kb-description">Description</label>
      <input
        id="kb-description"
        maxLength={2000}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <button type="submit">Create knowledge base</button>
      <ActionOutcome error={error} done={done} />
    </form>
  );
}
