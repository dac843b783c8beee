import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import { api } from '../api/client';
import { listKnowledgeBases } from '../api/knowledge-bases';
import type { KnowledgeBase, Member, Page, Role } from '../api/types';
import { ErrorText } from '../components/error-text';
import { KbPicker } from '../components/kb-picker';
import { RoleSelect } from '../components/role-select';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';

/** Tenant admins: who is a member, with which role and KBs; add, change, remove. */
export function MembersPage() {
  const { tenantId } = useParams() as { tenantId: string };
  const members = useLoad(() => api.get<Page<Member>>(`/tenants/${tenantId}/members?limit=200`), [tenantId]);
  const kbs = useLoad(() => listKnowledgeBases(tenantId), [tenantId]);
  const { error, run } = useAction();
  const change = (call: () => Promise<unknown>) =>
    run(async () => {
      await call();
      await members.reload();
    });
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
                <RoleSelect
                  id={`role-${m.user_id}`}
                  label={`Role of ${m.email}`}
                  hideLabel
                  value={m.role}
                  onChange={(role) =>
                    void change(() => api.patch(`/tenants/${tenantId}/members/${m.user_id}`, { role }))
                  }
                />
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
                      void change(() => api.delete(`/tenants/${tenantId}/members/${m.user_id}`));
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
  const { error, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await api.post(`/tenants/${tenantId}/members`, {
        email,
        role,
        knowledge_base_ids: scope,
        ...(password ? { password } : {}),
      });
      setEmail('');
      setPassword('');
      await onAdded();
    });
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
      <RoleSelect id="member-role" label="Role" value={role} onChange={setRole} />
      <KbPicker id="member-kbs" kbs={kbs} value={scope} onChange={setScope} />
      <button type="submit">Add member</button>
      <ErrorText error={error} />
    </form>
  );
}
