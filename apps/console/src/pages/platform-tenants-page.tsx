import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { Page, Tenant } from '../api/types';
import { ActionOutcome, ErrorText } from '../components/error-text';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';

const SLUG_RULE = '2 to 63 lowercase letters, digits or hyphens, not starting with a hyphen';

/** Platform admins: every tenant, create one, suspend or reactivate, and reach its members. */
export function PlatformTenantsPage() {
  const tenants = useLoad(() => api.get<Page<Tenant>>('/tenants?limit=200'), []);
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const { error, done, run } = useAction();
  const change = (call: () => Promise<unknown>, doneMessage: string) =>
    run(async () => {
      await call();
      await tenants.reload();
    }, doneMessage);
  const create = (event: FormEvent) => {
    event.preventDefault();
    void change(async () => {
      await api.post('/tenants', { slug, name });
      setSlug('');
      setName('');
    }, `Tenant ${slug} created: appoint its first admin under Members.`);
  };
  return (
    <section>
      <h1>Tenants</h1>
      <form className="inline-form" onSubmit={create} aria-label="New tenant">
        <label htmlFor="tenant-slug">Slug</label>
        <input
          id="tenant-slug"
          required
          pattern="[a-z0-9][a-z0-9\-]{1,62}"
          title={SLUG_RULE}
          aria-describedby="tenant-slug-rule"
          value={slug}
          onChange={(e) => {
            setSlug(e.target.value);
            // The browser's own message ("match the requested format") does not say the rule.
            e.target.setCustomValidity(e.target.validity.patternMismatch ? `Slug: ${SLUG_RULE}.` : '');
          }}
        />
        <label htmlFor="tenant-name">Name</label>
        <input
          id="tenant-name"
          required
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit">Create tenant</button>
        <p id="tenant-slug-rule" className="hint">
          Slug: {SLUG_RULE}.
        </p>
      </form>
      <ErrorText error={tenants.error} />
      <ActionOutcome error={error} done={done} />
      <table>
        <thead>
          <tr>
            <th scope="col">Slug</th>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {tenants.value?.items.map((t) => (
            <tr key={t.id}>
              <td>{t.slug}</td>
              <td>{t.name}</td>
              <td>{t.status}</td>
              <td className="row-actions">
                <Link to={`/t/${t.id}/members`}>Members</Link>
                <Link to={`/platform/tenants/${t.id}/quotas`}>Quotas</Link>
                <Link to={`/t/${t.id}/usage`}>Usage</Link>
                <button
                  type="button"
                  className="link"
                  onClick={() =>
                    void change(
                      () =>
                        api.patch(`/tenants/${t.id}`, {
                          status: t.status === 'active' ? 'suspended' : 'active',
                        }),
                      `${t.slug} ${t.status === 'active' ? 'suspended' : 'reactivated'}.`,
                    )
                  }
                >
                  {t.status === 'active' ? 'Suspend' : 'Reactivate'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
