import { Suspense, useEffect, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate, useOutletContext, useParams } from 'react-router';
import { api } from '../api/client';
import type { KnowledgeBase, Tenant } from '../api/types';
import { type Abilities, abilitiesOf } from '../session/abilities';
import { useSession } from '../session/session';
import { useLoad } from './use-load';

/** What the frame knows about where the user is, for the page inside it. */
export interface Frame {
  tenant: Tenant | null;
  kb: KnowledgeBase | null;
  can: Abilities;
}

export const useFrame = () => useOutletContext<Frame>();

/**
 * The frame of every signed-in page: a top bar (brand, tenant, who is signed in), the tenant's
 * pages, and inside a KB a bar that names it with its own pages. Below 800 px the navigation folds
 * behind a Menu button.
 */
export function Layout() {
  const session = useSession();
  const { tenantId, kbId } = useParams();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const platformAdmin = session.me?.user?.platform_admin ?? false;
  const can = abilitiesOf(tenantId ? session.membership(tenantId) : null, platformAdmin);
  const tenant = useLoad(
    () => (tenantId ? api.get<Tenant>(`/tenants/${tenantId}`) : Promise.resolve(null)),
    [tenantId],
  );
  const kb = useLoad(
    () =>
      tenantId && kbId && can.readKnowledgeBases
        ? api.get<KnowledgeBase>(`/tenants/${tenantId}/knowledge-bases/${kbId}`)
        : Promise.resolve(null),
    [tenantId, kbId, can.readKnowledgeBases],
  );
  // A link followed on a narrow screen folds the menu again.
  useEffect(() => setMenuOpen(false), [location.pathname]);

  const frame: Frame = { tenant: tenant.value, kb: kb.value, can };
  return (
    <div className="app">
      <header className="topbar">
        <NavLink to="/" className="brand">
          Strata
        </NavLink>
        <TenantSwitcher tenantId={tenantId} tenant={tenant.value} />
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <NavLink to="/account" className="who" title="Your account: password and sessions">
          {session.me?.user?.email}
        </NavLink>
        <button type="button" className="link sign-out" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </header>
      <nav id="main-nav" aria-label="Main" className={menuOpen ? 'main-nav open' : 'main-nav'}>
        {tenantId && can.readKnowledgeBases && (
          <NavLink to={`/t/${tenantId}/kbs`} end>
            Knowledge bases
          </NavLink>
        )}
        {tenantId && can.query && <NavLink to={`/t/${tenantId}/chat`}>Chat</NavLink>}
        {tenantId && can.manageMembers && <NavLink to={`/t/${tenantId}/members`}>Members</NavLink>}
        {tenantId && can.manageTenant && <NavLink to={`/t/${tenantId}/groups`}>Groups</NavLink>}
        {tenantId && can.manageTenant && <NavLink to={`/t/${tenantId}/api-keys`}>API keys</NavLink>}
        {tenantId && can.manageTenant && <NavLink to={`/t/${tenantId}/providers`}>Providers</NavLink>}
        {tenantId && can.manageTenant && <NavLink to={`/t/${tenantId}/audit`}>Audit</NavLink>}
        {tenantId && can.viewUsage && <NavLink to={`/t/${tenantId}/usage`}>Usage</NavLink>}
        {platformAdmin && <NavLink to="/platform/tenants">Tenants</NavLink>}
        <div className="who-in-menu">
          <NavLink to="/account">{session.me?.user?.email}</NavLink>
          <button type="button" className="link" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </div>
      </nav>
      {tenantId && kbId && (
        <div className="kb-bar">
          <nav aria-label="Breadcrumb" className="breadcrumb">
            <Link to={`/t/${tenantId}/kbs`}>Knowledge bases</Link>
            <span aria-hidden="true"> / </span>
            <strong aria-current="page" className="kb-name">
              {kb.value?.name ?? '…'}
            </strong>
            {kb.value?.status === 'archived' && <span className="tag">archived</span>}
          </nav>
          <nav aria-label="Knowledge base" className="kb-tabs">
            <NavLink to={`/t/${tenantId}/kbs/${kbId}/documents`}>Documents</NavLink>
            <NavLink to={`/t/${tenantId}/kbs/${kbId}/query`}>Query</NavLink>
            <NavLink to={`/t/${tenantId}/kbs/${kbId}/graph`}>Graph</NavLink>
            {can.editGraph && <NavLink to={`/t/${tenantId}/kbs/${kbId}/feedback`}>Feedback</NavLink>}
            {can.manageTenant && <NavLink to={`/t/${tenantId}/kbs/${kbId}/settings`}>Settings</NavLink>}
          </nav>
        </div>
      )}
      <main className="content">
        {/* Pages load when first opened: the frame stays while one does. */}
        <Suspense fallback={<p className="loading">Loading…</p>}>
          <Outlet context={frame} />
        </Suspense>
      </main>
    </div>
  );
}

/**
 * The tenants the user belongs to; a platform admin looking at a tenant they are not a member of
 * sees its name instead.
 */
function TenantSwitcher({ tenantId, tenant }: { tenantId?: string; tenant: Tenant | null }) {
  const session = useSession();
  const navigate = useNavigate();
  const memberships = session.me?.memberships ?? [];
  if (tenantId && !session.membership(tenantId)) {
    return <span className="tenant-name">{tenant?.name ?? '…'}</span>;
  }
  if (memberships.length === 0) return null;
  return (
    <>
      <label htmlFor="tenant-switcher" className="visually-hidden">
        Tenant
      </label>
      <select
        id="tenant-switcher"
        value={tenantId ?? ''}
        onChange={(e) => void navigate(`/t/${e.target.value}/kbs`)}
      >
        {!tenantId && <option value="">Choose a tenant</option>}
        {memberships.map((m) => (
          <option key={m.tenant_id} value={m.tenant_id}>
            {m.tenant_name} ({m.role})
          </option>
        ))}
      </select>
    </>
  );
}
