import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import { api } from '../api/client';
import { listKnowledgeBases } from '../api/knowledge-bases';
import type { Invitation, KnowledgeBase, Member, Page, Role } from '../api/types';
import { ActionOutcome, ErrorText } from '../components/error-text';
import { KbPicker } from '../components/kb-picker';
import { RoleSelect } from '../components/role-select';
import { ShownOnce } from '../components/shown-once';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';

const ROLE_WITH_ARTICLE: Record<Role, string> = {
  admin: 'an admin',
  editor: 'an editor',
  viewer: 'a viewer',
};

/** Tenant admins: who is a member, with which role and KBs; invite, change, remove. */
export function MembersPage() {
  const { tenantId } = useParams() as { tenantId: string };
  const members = useLoad(() => api.get<Page<Member>>(`/tenants/${tenantId}/members?limit=200`), [tenantId]);
  const invitations = useLoad(
    () => api.get<Page<Invitation>>(`/tenants/${tenantId}/invitations?limit=200`),
    [tenantId],
  );
  const kbs = useLoad(() => listKnowledgeBases(tenantId), [tenantId]);
  const { error, done, run } = useAction();
  const change = (call: () => Promise<unknown>, doneMessage: string) =>
    run(async () => {
      await call();
      await members.reload();
    }, doneMessage);
  const kbName = (id: string) => kbs.value?.items.find((k) => k.id === id)?.name ?? id;
  // A tenant keeps one admin: the API refuses to remove or demote the last (409 LAST_TENANT_ADMIN).
  const admins = members.value?.items.filter((m) => m.role === 'admin').length ?? 0;
  const isLastAdmin = (m: Member) => m.role === 'admin' && admins === 1;

  return (
    <section>
      <h1>Members</h1>
      <InviteMember tenantId={tenantId} kbs={kbs.value?.items ?? []} onInvited={invitations.reload} />
      <ErrorText error={members.error ?? invitations.error} />
      <ActionOutcome error={error} done={done} />
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
                  disabled={isLastAdmin(m)}
                  onChange={(role) =>
                    void change(
                      () => api.patch(`/tenants/${tenantId}/members/${m.user_id}`, { role }),
                      `${m.email} is now ${ROLE_WITH_ARTICLE[role]}.`,
                    )
                  }
                />
              </td>
              <td>
                {m.knowledge_base_ids === null
                  ? 'all'
                  : m.knowledge_base_ids.map(kbName).join(', ') || 'none'}
              </td>
              <td>
                {isLastAdmin(m) ? (
                  <span className="muted">the only admin</span>
                ) : (
                  <button
                    type="button"
                    className="link danger"
                    onClick={() => {
                      if (window.confirm(`Remove ${m.email} from the tenant?`))
                        void change(
                          () => api.delete(`/tenants/${tenantId}/members/${m.user_id}`),
                          `${m.email} was removed from the tenant.`,
                        );
                    }}
                  >
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <PendingInvitations
        invitations={invitations.value?.items ?? []}
        onRevoke={(invitation) => {
          if (window.confirm(`Revoke the invitation of ${invitation.email}?`))
            void change(async () => {
              await api.delete(`/tenants/${tenantId}/invitations/${invitation.id}`);
              await invitations.reload();
            }, `The invitation of ${invitation.email} was revoked.`);
        }}
      />
    </section>
  );
}

/** Invites an email; the token goes into a link shown this once, for the inviter to pass on. */
function InviteMember({
  tenantId,
  kbs,
  onInvited,
}: {
  tenantId: string;
  kbs: KnowledgeBase[];
  onInvited: () => Promise<void>;
}) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [scope, setScope] = useState<string[] | null>(null);
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const { error, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const created = await api.post<Invitation & { token: string }>(`/tenants/${tenantId}/invitations`, {
        email,
        role,
        knowledge_base_ids: scope,
      });
      setLink({
        email: created.email,
        url: `${window.location.origin}/console/accept-invitation#token=${created.token}`,
      });
      setEmail('');
      await onInvited();
    });
  };
  return (
    <>
      {link && (
        <ShownOnce value={link.url} testId="invitation-link" onDone={() => setLink(null)}>
          Send this link to <strong>{link.email}</strong>; it is shown this once and works for 7 days.
        </ShownOnce>
      )}
      <form className="stack-form card-form" onSubmit={submit} aria-label="Invite a member">
        <h2>Invite a member</h2>
        <label htmlFor="member-email">Email</label>
        <input
          id="member-email"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <RoleSelect id="member-role" label="Role" value={role} onChange={setRole} />
        <KbPicker id="member-kbs" kbs={kbs} value={scope} onChange={setScope} />
        <button type="submit">Invite</button>
        <ErrorText error={error} />
      </form>
    </>
  );
}

/** Invitations not accepted yet, each revocable. */
function PendingInvitations({
  invitations,
  onRevoke,
}: {
  invitations: Invitation[];
  onRevoke: (invitation: Invitation) => void;
}) {
  const pending = invitations.filter((i) => i.status === 'pending');
  if (pending.length === 0) return null;
  return (
    <>
      <h2>Pending invitations</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Expires</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {pending.map((i) => (
            <tr key={i.id}>
              <td>{i.email}</td>
              <td>{i.role}</td>
              <td>{new Date(i.expires_at).toLocaleDateString()}</td>
              <td>
                <button type="button" className="link danger" onClick={() => onRevoke(i)}>
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
