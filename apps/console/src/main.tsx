import { lazy, StrictMode, Suspense, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './components/layout';
import { AcceptInvitationPage } from './pages/accept-invitation-page';
import { ApiKeysPage } from './pages/api-keys-page';
import { AuditPage } from './pages/audit-page';
import { DocumentPage } from './pages/document-page';
import { DocumentsPage } from './pages/documents-page';
import { KbSettingsPage } from './pages/kb-settings-page';
import { MembersPage } from './pages/members-page';
import { TenantQuotasPage } from './pages/tenant-quotas-page';
import { UsagePage } from './pages/usage-page';
import { HomePage } from './pages/home-page';
import { KnowledgeBasesPage } from './pages/knowledge-bases-page';
import { LoginPage } from './pages/login-page';
import { PlatformTenantsPage } from './pages/platform-tenants-page';
import { ProvidersPage } from './pages/providers-page';
import { QueryPage } from './pages/query-page';
import { SessionProvider, useSession } from './session/session';
import './styles.css';

// The graph explorer brings cytoscape (most of the bundle): loaded when first opened.
const GraphPage = lazy(() => import('./pages/graph-page').then((m) => ({ default: m.GraphPage })));

/** Pages behind sign-in: a visitor without a session goes to the login page and comes back. */
function SignedIn({ children }: { children: ReactNode }) {
  const { me, loading } = useSession();
  const location = useLocation();
  if (loading) return <p className="loading">Loading…</p>;
  if (!me) return <Navigate to="/login" state={{ from: location.pathname }} replace />;
  return children;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <BrowserRouter basename="/console">
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/accept-invitation" element={<AcceptInvitationPage />} />
          <Route
            element={
              <SignedIn>
                <Layout />
              </SignedIn>
            }
          >
            <Route index element={<HomePage />} />
            <Route path="t/:tenantId/kbs" element={<KnowledgeBasesPage />} />
            <Route path="t/:tenantId/kbs/:kbId/documents" element={<DocumentsPage />} />
            <Route path="t/:tenantId/kbs/:kbId/documents/:docId" element={<DocumentPage />} />
            <Route path="t/:tenantId/kbs/:kbId/query" element={<QueryPage />} />
            <Route
              path="t/:tenantId/kbs/:kbId/graph"
              element={
                <Suspense fallback={<p className="loading">Loading…</p>}>
                  <GraphPage />
                </Suspense>
              }
            />
            <Route path="t/:tenantId/kbs/:kbId/settings" element={<KbSettingsPage />} />
            <Route path="t/:tenantId/members" element={<MembersPage />} />
            <Route path="t/:tenantId/api-keys" element={<ApiKeysPage />} />
            <Route path="t/:tenantId/providers" element={<ProvidersPage />} />
            <Route path="t/:tenantId/audit" element={<AuditPage />} />
            <Route path="t/:tenantId/usage" element={<UsagePage />} />
            <Route path="platform/tenants" element={<PlatformTenantsPage />} />
            <Route path="platform/tenants/:tenantId/quotas" element={<TenantQuotasPage />} />
            <Route path="*" element={<Navigate to="/" replace />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  </StrictMode>,
);
