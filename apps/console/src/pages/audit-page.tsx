import { type FormEvent, Fragment, useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { describeError } from '../api/api-error';
import { api } from '../api/client';
import type { ApiKey, AuditEvent, Member, Page } from '../api/types';
import { ErrorText } from '../components/error-text';
import { formatWhen } from '../components/format';
import { useLoad } from '../components/use-load';

interface Filters {
  action: string;
  outcome: string;
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { action: '', outcome: '', from: '', to: '' };

/** Who an actor id names: a member's email or an API key's name, as far as the tenant still knows them. */
function useActorNames(tenantId: string): Map<string, string> {
  const names = useLoad(async () => {
    const [members, keys] = await Promise.all([
      api.get<Page<Member>>(`/tenants/${tenantId}/members?limit=200`),
      api.get<Page<ApiKey>>(`/tenants/${tenantId}/api-keys?limit=200`),
    ]);
    return new Map<string, string>([
      ...members.items.map((m): [string, string] => [m.user_id, m.email]),
      ...keys.items.map((k): [string, string] => [k.id, `key “${k.name}”`]),
    ]);
  }, [tenantId]);
  return names.value ?? new Map();
}

const actorOf = (event: AuditEvent, names: Map<string, string>): string => {
  if (!event.actor_id) return event.actor_type;
  return names.get(event.actor_id) ?? `${event.actor_type} ${event.actor_id.slice(0, 8)}`;
};

/** Tenant admins: the audit trail, newest first, filtered, page by page; a row opens to its details. */
export function AuditPage() {
  const { tenantId } = useParams() as { tenantId: string };
  const names = useActorNames(tenantId);
  const [open, setOpen] = useState<string | null>(null);
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (after: string | null) => {
      const params = new URLSearchParams({ limit: '50', order: 'desc' });
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
            <Fragment key={e.id}>
              <tr data-outcome={e.outcome}>
                <td data-label="When">
                  <button
                    type="button"
                    className="link expander"
                    aria-expanded={open === e.id}
                    aria-controls={`audit-${e.id}`}
                    onClick={() => setOpen(open === e.id ? null : e.id)}
                  >
                    {formatWhen(e.at)}
                  </button>
                </td>
                <td data-label="Action" className="audit-action">
                  {e.action}
                </td>
                <td data-label="Outcome" className={`outcome-${e.outcome}`}>
                  {e.outcome}
                </td>
                <td data-label="Actor" className="audit-actor">
                  {actorOf(e, names)}
                </td>
                <td data-label={e.resource_type ? 'Resource' : undefined}>
                  {e.resource_type ? `${e.resource_type} ${e.resource_id?.slice(0, 8) ?? ''}` : ''}
                </td>
              </tr>
              {open === e.id && (
                <tr id={`audit-${e.id}`} className="audit-details">
                  <td colSpan={5}>
                    <dl className="facts">
                      <dt>Event</dt>
                      <dd>
                        #{e.seq} · {e.id}
                      </dd>
                      <dt>Actor</dt>
                      <dd>
                        {e.actor_type} {e.actor_id ?? ''}
                      </dd>
                      {e.resource_id && (
                        <>
                          <dt>Resource</dt>
                          <dd>
                            {e.resource_type} {e.resource_id}
                          </dd>
                        </>
                      )}
                      {e.ip && (
                        <>
                          <dt>Address</dt>
                          <dd>{e.ip}</dd>
                        </>
                      )}
                      <dt>Details</dt>
                      <dd>
                        <pre className="metadata">{JSON.stringify(e.details, null, 2)}</pre>
                      </dd>
                    </dl>
                  </td>
                </tr>
              )}
            </Fragment>
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
