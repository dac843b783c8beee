import { type ComponentType, lazy, StrictMode, Suspense, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './components/layout';
import { HomePage } from './pages/home-page';
import { LoginPage } from './pages/login-page';
import { SessionProvider, useSession } from './session/session';
import './styles.css';

/**
 * A page loaded when first opened: the first load carries only the sign-in page and the frame,
 * and the graph explorer's drawing library (most of the code) only reaches those who open it.
 */
function page<Name extends string>(load: () => Promise<Record<Name, ComponentType>>, name: Name) {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}
const GraphPage = page(() => import('./pages/graph-page'), 'GraphPage');
const AccountPage = page(() => import('./pages/account-page'), 'AccountPage');
const AcceptInvitationPage = page(() => import('./pages/accept-invitation-page'), 'AcceptInvitationPage');
const ApiKeysPage = page(() => import('./pages/api-keys-page'), 'ApiKeysPage');
const GroupsPage = page(() => import('./pages/groups-page'), 'GroupsPage');
const AuditPage = page(() => import('./pages/audit-page'), 'AuditPage');
const DocumentPage = page(() => import('./pages/document-page'), 'DocumentPage');
const DocumentsPage = page(() => import('./pages/documents-page'), 'DocumentsPage');
const KbSettingsPage = page(() => import('./pages/kb-settings-page'), 'KbSettingsPage');
const MembersPage = page(() => import('./pages/members-page'), 'MembersPage');
const TenantQuotasPage = page(() => import('./pages/tenant-quotas-page'), 'TenantQuotasPage');
const UsagePage = page(() => import('./pages/usage-page'), 'UsagePage');
const KnowledgeBasesPage = page(() => import('./pages/knowledge-bases-page'), 'KnowledgeBasesPage');
const PlatformTenantsPage = page(() => import('./pages/platform-tenants-page'), 'PlatformTenantsPage');
const ProvidersPage = page(() => import('./pages/providers-page'), 'ProvidersPage');
const QueryPage = page(() => import('./pages/query-page'), 'QueryPage');
const ChatPage = page(() => import('./pages/chat-page'), 'ChatPage');
const FeedbackPage = page(() => import('./pages/feedback-page'), 'FeedbackPage');

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
        <Suspense fallback={<p className="loading">Loading…</p>}>
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
              <Route path="account" element={<AccountPage />} />
              <Route path="t/:tenantId/kbs" element={<KnowledgeBasesPage />} />
              <Route path="t/:tenantId/kbs/:kbId/documents" element={<DocumentsPage />} />
              <Route path="t/:tenantId/kbs/:kbId/documents/:docId" element={<DocumentPage />} />
              <Route path="t/:tenantId/kbs/:kbId/query" element={<QueryPage />} />
              <Route path="t/:tenantId/kbs/:kbId/graph" element={<GraphPage />} />
              <Route path="t/:tenantId/kbs/:kbId/feedback" element={<FeedbackPage />} />
              <Route path="t/:tenantId/chat" element={<ChatPage />} />
              <Route path="t/:tenantId/chat/:conversationId" element={<ChatPage />} />
              <Route path="t/:tenantId/kbs/:kbId/settings" element={<KbSettingsPage />} />
              <Route path="t/:tenantId/members" element={<MembersPage />} />
              <Route path="t/:tenantId/api-keys" element={<ApiKeysPage />} />
              <Route path="t/:tenantId/groups" element={<GroupsPage />} />
              <Route path="t/:tenantId/providers" element={<ProvidersPage />} />
              <Route path="t/:tenantId/audit" element={<AuditPage />} />
              <Route path="t/:tenantId/usage" element={<UsagePage />} />
              <Route path="platform/tenants" element={<PlatformTenantsPage />} />
              <Route path="platform/tenants/:tenantId/quotas" element={<TenantQuotasPage />} />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Route>
          </Routes>
        </Suspense>
      </BrowserRouter>
    </SessionProvider>
  </StrictMode>,
);
