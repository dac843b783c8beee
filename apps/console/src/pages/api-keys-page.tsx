import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import { api } from '../api/client';
import { listKnowledgeBases } from '../api/knowledge-bases';
import type { ApiKey, Page, Role } from '../api/types';
import { ActionOutcome, ErrorText } from '../components/error-text';
import { formatWhen } from '../components/format';
import { KbPicker } from '../components/kb-picker';
import { RoleSelect } from '../components/role-select';
import { ShownOnce } from '../components/shown-once';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';

/** Tenant admins: API keys; a new key's secret is shown once, with a copy button. */
export function ApiKeysPage() {
  const { tenantId } = useParams() as { tenantId: string };
  const keys = useLoad(() => api.get<Page<ApiKey>>(`/tenants/${tenantId}/api-keys?limit=200`), [tenantId]);
  const kbs = useLoad(() => listKnowledgeBases(tenantId), [tenantId]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [scope, setScope] = useState<string[] | null>(null);
  const [expires, setExpires] = useState('');
  const [secret, setSecret] = useState<{ name: string; key: string; oldUntil?: string } | null>(null);
  const { error, done, run } = useAction();

  const create = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const created = await api.post<ApiKey & { key: string }>(`/tenants/${tenantId}/api-keys`, {
        name,
        role,
        knowledge_base_ids: scope,
        ...(expires ? { expires_at: new Date(expires).toISOString() } : {}),
      });
      setSecret({ name: created.name, key: created.key });
      setName('');
      await keys.reload();
    });
  };
  const revoke = (key: ApiKey) => {
    if (!window.confirm(`Revoke ${key.name}? Clients using it stop working at once.`)) return;
    void run(async () => {
      await api.delete(`/tenants/${tenantId}/api-keys/${key.id}`);
      await keys.reload();
    }, `${key.name} is revoked: requests with it are refused from now on.`);
  };

  // Keys a rotation replaced: they work until their grace period ends.
  const replaced = new Set((keys.value?.items ?? []).map((k) => k.rotated_from).filter((id) => id !== null));
  const rotate = (key: ApiKey) => {
    const message =
      `Rotate ${key.name}? It gets a new secret with the same access; the old secret keeps ` +
      'working for 24 hours so its clients can move over.';
    if (!window.confirm(message)) return;
    void run(async () => {
      const rotated = await api.post<ApiKey & { key: string; previous_expires_at: string }>(
        `/tenants/${tenantId}/api-keys/${key.id}/rotate`,
        {},
      );
      setSecret({ name: rotated.name, key: rotated.key, oldUntil: rotated.previous_expires_at });
      await keys.reload();
    });
  };

  return (
    <section>
      <h1>API keys</h1>
      {secret && (
        <ShownOnce value={secret.key} testId="new-api-key" onDone={() => setSecret(null)}>
          The key <strong>{secret.name}</strong> is shown this once; copy it now.
          {secret.oldUntil && ` Its old secret works until ${formatWhen(secret.oldUntil)}.`}
        </ShownOnce>
      )}
      <form className="stack-form card-form" onSubmit={create} aria-label="New API key">
        <h2>New API key</h2>
        <label htmlFor="key-name">Name</label>
        <input
          id="key-name"
          required
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <RoleSelect id="key-role" label="Role" value={role} onChange={setRole} />
        <KbPicker id="key-kbs" kbs={kbs.value?.items ?? []} value={scope} onChange={setScope} />
        <label htmlFor="key-expires">Expires (optional)</label>
        <input
          id="key-expires"
          type="datetime-local"
          value={expires}
          onChange={(e) => setExpires(e.target.value)}
        />
        <button type="submit">Create key</button>
      </form>
      <ActionOutcome error={error} done={done} />
      <ErrorText error={keys.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Prefix</th>
            <th scope="col">Role</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {keys.value?.items.map((k) => (
            <tr key={k.id}>
              <td>{k.name}</td>
              <td>
                <code>sk_{k.prefix}…</code>
              </td>
              <td>{k.role}</td>
              <td>{k.last_used_at ? formatWhen(k.last_used_at) : 'never'}</td>
              <td>
                {stateOf(k)}
                {replaced.has(k.id) && ' (replaced by a rotation)'}
              </td>
              <td>
                {stateOf(k).startsWith('active') && (
                  <div className="row-actions">
                    {!replaced.has(k.id) && (
                      <button type="button" className="link" onClick={() => rotate(k)}>
                        Rotate
                      </button>
                    )}
                    <button type="button" className="link danger" onClick={() => revoke(k)}>
                      Revoke
                    </button>
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Whether a key works: revoked, expired, or active (until its expiry, if it has one). */
function stateOf(key: ApiKey): string {
  if (key.revoked_at) return 'revoked';
  if (key.expires_at === null) return 'active';
  const expires = new Date(key.expires_at);
  return expires.getTime() <= Date.now() ? 'expired' : `active until ${expires.toLocaleDateString()}`;
}
