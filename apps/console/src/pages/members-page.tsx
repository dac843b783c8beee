import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import { describeError } from '../api/api-error';
import { api } from '../api/client';
import { type KnowledgeBase, type Member, type Page, type Role, ROLES } from '../api/types';
import { ErrorText } from '../components/error-text';
import { KbPicker } from '../components/kb-picker';
import { useLoad } from '../components/use-load';

/** Tenant admins: who is a member, with which role and KBs; add, change, remove. */
export function MembersPage() {
  const { tenantId } = useParams() as { tenantId: string };
  const members = useLoad(() => api.get<Page<Member>>(`/tenants/${tenantId}/members?limit=200`), [tenantId]);
  const kbs = useLoad(
    () => api.get<Page<KnowledgeBase>>(`/tenants/${tenantId}/knowledge-bases?limit=200`),
    [tenantId],
  );
  const [error, setError] = useState<string | null>(null);
  const run = async (call: () => Promise<unknown>) => {
    try {
      await call();
      setError(null);
      await members.reload();
    } catch (e) {
      setError(describeError(e));
    }
  };
  const kbName = (id: string) => kbs.value?.items.find((k) => k.id === id)?.name ?? id;

  return (
    <section>
      <h1>Members</h1>
      <AddMember tenantId={tenantId} kbs={kbs.value?.items ?? []} onAdded={members.reload} />
      <ErrorText error={members.error ?? error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Knowledge bases</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {members.value?.items.map((m) => (
            <tr key={m.user_id}>
              <td>{m.email}</td>
              <td>
                <label htmlFor={`role-${m.user_id}`} className="visually-hidden">
                  Role of {m.email}
                </label>
                <select
                  id={`role-${m.user_id}`}
                  value={m.role}
                  onChange={(e) =>
                    void run(() =>
                      api.patch(`/tenants/${tenantId}/members/${m.user_id}`, { role: e.target.value }),
                    )
                  }
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                {m.knowledge_base_ids === null
                  ? 'all'
                  : m.knowledge_base_ids.map(kbName).join(', ') || 'none'}
              </td>
              <td>
                <button
                  type="button"
                  className="link danger"
                  onClick={() => {
                    if (window.confirm(`Remove ${m.email} from the tenant?`))
                      void run(() => api.delete(`/tenants/${tenantId}/members/${m.user_id}`));
                  }}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function AddMember({
  tenantId,
  kbs,
  onAdded,
}: {
  tenantId: string;
  kbs: KnowledgeBase[];
  onAdded: () => Promise<void>;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [scope, setScope] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.post(`/tenants/${tenantId}/members`, {
        email,
        role,
        knowledge_base_ids: scope,
        ...(password ? { password } : {}),
      });
      setEmail('');
      setPassword('');
      setError(null);
      await onAdded();
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <form className="stack-form card-form" onSubmit={submit} aria-label="Add a member">
      <h2>Add a member</h2>
      <label htmlFor="member-email">Email</label>
      <input
        id="member-email"
        type="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <label htmlFor="member-password">Password (for a new user, 12 characters or more)</label>
      <input
        id="member-password"
        type="password"
        minLength={12}
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <label htmlFor="member-role">Role</label>
      <select id="member-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <KbPicker id="member-kbs" kbs={kbs} value={scope} onChange={setScope} />
      <button type="submit">Add member</button>
      <ErrorText error={error} />
    </form>
  );
}
