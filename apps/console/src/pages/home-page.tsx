import { Link, Navigate } from 'react-router';
import { useSession } from '../session/session';

/** Where a signed-in user starts: their only tenant, or the list of them. */
export function HomePage() {
  const { me } = useSession();
  const memberships = me?.memberships ?? [];
  if (memberships.length === 1) return <Navigate to={`/t/${memberships[0].tenant_id}/kbs`} replace />;
  if (memberships.length === 0 && me?.user?.platform_admin)
    return <Navigate to="/platform/tenants" replace />;
  return (
    <section>
      <h1>Your tenants</h1>
      {memberships.length === 0 && <p>You are not a member of any tenant yet.</p>}
      <ul className="tiles">
        {memberships.map((m) => (
          <li key={m.tenant_id}>
            <Link to={`/t/${m.tenant_id}/kbs`}>
              <strong>{m.tenant_name}</strong>
              <span>{m.role}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
