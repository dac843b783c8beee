import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import { api } from '../api/client';
import type { ApiKey, Group, GroupMember, Member, Page } from '../api/types';
import { ActionOutcome, ErrorText } from '../components/error-text';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';

/**
 * Tenant admins: groups of members and API keys. A document's access list names groups (or
 * members); whoever is in none of them gets 404 on it and finds nothing of it.
 */
export function GroupsPage() {
  const { tenantId } = useParams() as { tenantId: string };
  const base = `/tenants/${tenantId}/groups`;
  const groups = useLoad(() => api.get<Page<Group>>(`${base}?limit=200`), [base]);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const { error, done, run } = useAction();

  const create = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const created = await api.post<Group>(base, { name, ...(description ? { description } : {}) });
      setName('');
      setDescription('');
      setOpen(created.id);
      await groups.reload();
    }, `The group ${name} is made: add its members below.`);
  };
  const remove = (group: Group) => {
    const warning =
      `Delete the group ${group.name}? Documents restricted to it stay restricted, ` +
      'to the other groups and members on their lists, or to tenant admins alone.';
    if (!window.confirm(warning)) return;
    void run(async () => {
      await api.delete(`${base}/${group.id}`);
      await groups.reload();
    }, `The group ${group.name} is deleted.`);
  };

  return (
    <section>
      <h1>Groups</h1>
      <p className="muted-text">
        Restrict a document to groups when you add it or on its page: only their members, their API keys and
        tenant admins will see it, in lists, search, the graph and answers.
      </p>
      <form className="stack-form card-form" onSubmit={create} aria-label="New group">
        <h2>New group</h2>
        <label htmlFor="group-name">Name</label>
        <input
          id="group-name"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <label htmlFor="group-description">Description (optional)</label>
        <input
          id="group-description"
          maxLength={1000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <button type="submit">Create group</button>
      </form>
      <ActionOutcome error={error} done={done} />
      <ErrorText error={groups.error} />
      {groups.value && groups.value.items.length === 0 && <p className="empty">No groups yet.</p>}
      <ul className="groups">
        {groups.value?.items.map((g) => (
          <li key={g.id} className="group">
            <div className="group-head">
              <button
                type="button"
                className="link group-name"
                aria-expanded={open === g.id}
                onClick={() => setOpen(open === g.id ? null : g.id)}
              >
                {g.name}
              </button>
              <span className="muted-text">
                {g.users} {g.users === 1 ? 'member' : 'members'}, {g.api_keys} API{' '}
                {g.api_keys === 1 ? 'key' : 'keys'}
              </span>
              <button type="button" className="link danger" onClick={() => remove(g)}>
                Delete
              </button>
            </div>
            {g.description && <p className="group-description">{g.description}</p>}
            {open === g.id && (
              <GroupMembers tenantId={tenantId} group={g} onChange={() => void groups.reload()} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A group's members, with controls to add the tenant's members and API keys and take them out. */
function GroupMembers({
  tenantId,
  group,
  onChange,
}: {
  tenantId: string;
  group: Group;
  onChange: () => void;
}) {
  const path = `/tenants/${tenantId}/groups/${group.id}`;
  const members = useLoad(() => api.get<{ items: GroupMember[] }>(`${path}/members`), [path]);
  const people = useLoad(() => api.get<Page<Member>>(`/tenants/${tenantId}/members?limit=200`), [tenantId]);
  const keys = useLoad(() => api.get<Page<ApiKey>>(`/tenants/${tenantId}/api-keys?limit=200`), [tenantId]);
  const [chosen, setChosen] = useState('');
  const { error, run } = useAction();
  const inGroup = new Set((members.value?.items ?? []).map((m) => m.id));
  const candidates = [
    ...(people.value?.items ?? []).map((m) => ({
      value: `users/${m.user_id}`,
      id: m.user_id,
      label: m.email,
    })),
    ...(keys.value?.items ?? [])
      .filter((k) => k.revoked_at === null)
      .map((k) => ({ value: `api-keys/${k.id}`, id: k.id, label: `API key: ${k.name}` })),
  ].filter((c) => !inGroup.has(c.id));

  const change = (call: () => Promise<unknown>) =>
    void run(async () => {
      await call();
      await members.reload();
      onChange();
    });
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    change(() => api.put(`${path}/${chosen}`, {}));
    setChosen('');
  };

  return (
    <div className="group-members">
      <ErrorText error={members.error ?? error} />
      {members.value && members.value.items.length === 0 && <p className="muted-text">Nobody in it yet.</p>}
      <ul aria-label={`Members of ${group.name}`}>
        {members.value?.items.map((m) => (
          <li key={m.id}>
            <span>{m.type === 'api_key' ? `API key: ${m.label}` : m.label}</span>
            <button
              type="button"
              className="link danger"
              onClick={() =>
                change(() => api.delete(`${path}/${m.type === 'api_key' ? 'api-keys' : 'users'}/${m.id}`))
              }
            >
              Take out
            </button>
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={add} aria-label={`Add to ${group.name}`}>
        <label htmlFor={`add-${group.id}`}>Add</label>
        <select id={`add-${group.id}`} value={chosen} onChange={(e) => setChosen(e.target.value)}>
          <option value="">a member or API key…</option>
          {candidates.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
        <button type="submit" disabled={!chosen}>
          Add
        </button>
      </form>
    </div>
  );
}
