import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { describeError } from '../api/api-error';
import { api } from '../api/client';
import type { AuditEvent, Page } from '../api/types';
import { ErrorText } from '../components/error-text';

interface Filters {
  action: string;
  outcome: string;
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { action: '', outcome: '', from: '', to: '' };

/** Tenant admins: the audit trail, newest last as the chain runs, filtered, page by page. */
export function AuditPage() {
  const { tenantId } = useParams() as { tenantId: string };
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (after: string | null) => {
      const params = new URLSearchParams({ limit: '50' });
      if (filters.action) params.set('action', filters.action);
      if (filters.outcome) params.set('outcome', filters.outcome);
      if (filters.from) params.set('from', new Date(filters.from).toISOString());
      if (filters.to) params.set('to', new Date(filters.to).toISOString());
      if (after) params.set('cursor', after);
      try {
        const page = await api.get<Page<AuditEvent>>(`/tenants/${tenantId}/audit?${params}`);
        setEvents((current) => (after ? [...current, ...page.items] : page.items));
        setCursor(page.next_cursor);
        setError(null);
      } catch (e) {
        setError(describeError(e));
      }
    },
    [tenantId, filters],
  );
  useEffect(() => {
    void load(null);
  }, [load]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
  };
  const field = (name: keyof Filters) => ({
    value: draft[name],
    onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [name]: e.target.value }),
  });

  return (
    <section>
      <h1>Audit log</h1>
      <form className="inline-form" onSubmit={apply} aria-label="Filter the audit log">
        <label htmlFor="audit-action">Action</label>
        <input id="audit-action" placeholder="document.create" {...field('action')} />
        <label htmlFor="audit-outcome">Outcome</label>
        <select id="audit-outcome" {...field('outcome')}>
          <option value="">any</option>
          <option value="success">success</option>
          <option value="denied">denied</option>
          <option value="error">error</option>
        </select>
        <label htmlFor="audit-from">From</label>
        <input id="audit-from" type="datetime-local" {...field('from')} />
        <label htmlFor="audit-to">To</label>
        <input id="audit-to" type="datetime-local" {...field('to')} />
        <button type="submit">Filter</button>
      </form>
      <ErrorText error={error} />
      <table className="audit">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">Outcome</th>
            <th scope="col">Actor</th>
            <th scope="col">Resource</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id} data-outcome={e.outcome}>
              <td>{new Date(e.at).toLocaleString()}</td>
              <td>{e.action}</td>
              <td className={`outcome-${e.outcome}`}>{e.outcome}</td>
              <td>
                {e.actor_type}
                {e.actor_id ? `:${e.actor_id.slice(0, 8)}` : ''}
              </td>
              <td>{e.resource_type ? `${e.resource_type} ${e.resource_id?.slice(0, 8) ?? ''}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {events.length === 0 && !error && <p>No events match.</p>}
      {cursor && (
        <button type="button" onClick={() => void load(cursor)}>
          Load more
        </button>
      )}
    </section>
  );
}
