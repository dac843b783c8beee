import { NavLink, Outlet, useNavigate, useParams } from 'react-router';
import { abilitiesOf } from '../session/abilities';
import { useSession } from '../session/session';

/** The frame of every signed-in page: tenant switcher, navigation, who is signed in. */
export function Layout() {
  const session = useSession();
  const navigate = useNavigate();
  const { tenantId, kbId } = useParams();
  const memberships = session.me?.memberships ?? [];
  const can = abilitiesOf(tenantId ? session.membership(tenantId) : null);

  return (
    <div className="app">
      <header className="topbar">
        <NavLink to="/" className="brand">
          Strata
        </NavLink>
        {memberships.length > 0 && (
          <>
            <label htmlFor="tenant-switcher" className="visually-hidden">
              Tenant
            </label>
            <select
              id="tenant-switcher"
              value={tenantId ?? ''}
              onChange={(e) => navigate(`/t/${e.target.value}/kbs`)}
            >
              {!tenantId && <option value="">Choose a tenant</option>}
              {memberships.map((m) => (
                <option key={m.tenant_id} value={m.tenant_id}>
                  {m.tenant_name} ({m.role})
                </option>
              ))}
            </select>
          </>
        )}
        <nav aria-label="Main">
          {tenantId && (
            <NavLink to={`/t/${tenantId}/kbs`} end>
              Knowledge bases
            </NavLink>
          )}
          {tenantId && kbId && <NavLink to={`/t/${tenantId}/kbs/${kbId}/documents`}>Documents</NavLink>}
          {tenantId && kbId && <NavLink to={`/t/${tenantId}/kbs/${kbId}/query`}>Query</NavLink>}
          {tenantId && kbId && <NavLink to={`/t/${tenantId}/kbs/${kbId}/graph`}>Graph</NavLink>}
          {tenantId && kbId && can.manageTenant && (
            <NavLink to={`/t/${tenantId}/kbs/${kbId}/settings`}>Settings</NavLink>
          )}
          {tenantId && can.manageTenant && <NavLink to={`/t/${tenantId}/members`}>Members</NavLink>}
          {tenantId && can.manageTenant && <NavLink to={`/t/${tenantId}/api-keys`}>API keys</NavLink>}
          {tenantId && can.manageTenant && <NavLink to={`/t/${tenantId}/audit`}>Audit</NavLink>}
          {tenantId && can.manageTenant && <NavLink to={`/t/${tenantId}/usage`}>Usage</NavLink>}
          {session.me?.user?.platform_admin && <NavLink to="/platform/tenants">Tenants</NavLink>}
        </nav>
        <span className="who">{session.me?.user?.email}</span>
        <button type="button" className="link" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </header>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
