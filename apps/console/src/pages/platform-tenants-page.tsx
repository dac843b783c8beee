import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { Page, Tenant } from '../api/types';
import { ErrorText } from '../components/error-text';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';

/** Platform admins: every tenant, create one, suspend or reactivate. */
export function PlatformTenantsPage() {
  const tenants = useLoad(() => api.get<Page<Tenant>>('/tenants?limit=200'), []);
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const { error, run } = useAction();
  const change = (call: () => Promise<unknown>) =>
    run(async () => {
      await call();
      await tenants.reload();
    });
  const create = (event: FormEvent) => {
    event.preventDefault();
    void change(async () => {
      await api.post('/tenants', { slug, name });
      setSlug('');
      setName('');
    });
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
          value={slug}
          onChange={(e) => setSlug(e.target.value)}
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
      </form>
      <ErrorText error={tenants.error ?? error} />
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
                <Link to={`/platform/tenants/${t.id}/quotas`}>Quotas</Link>
                <Link to={`/t/${t.id}/usage`}>Usage</Link>
                <button
                  type="button"
                  className="link"
                  onClick={() =>
                    void change(() =>
                      api.patch(`/tenants/${t.id}`, {
                        status: t.status === 'active' ? 'suspended' : 'active',
                      }),
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
