import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import type { Me, Membership } from '../api/types';

interface SessionValue {
  me: Me | null;
  /** Still finding out whether a stored session is valid. */
  loading: boolean;
  signIn(email: string, password: string): Promise<void>;
  /** Signs in with a directory (LDAP) name and password. */
  signInWithDirectory(loginPath: string, username: string, password: string): Promise<void>;
  /** Finishes a single sign-on with the code its callback handed over. */
  signInWithCode(code: string): Promise<void>;
  signOut(): Promise<void>;
  reload(): Promise<void>;
  membership(tenantId: string): Membership | null;
}

const SessionContext = createContext<SessionValue | null>(null);

/** Who is signed in (GET /auth/me), kept in sync with the API client's tokens. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(api.hasSession);

  const reload = useCallback(async () => {
    try {
      setMe(await api.get<Me>('/auth/me'));
    } catch {
      setMe(null);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (api.hasSession) void reload();
    return api.onSessionChange((signedIn) => {
      if (!signedIn) setMe(null);
    });
  }, [reload]);

  const value = useMemo<SessionValue>(
    () => ({
      me,
      loading,
      signIn: async (email, password) => {
        await api.login(email, password);
        await reload();
      },
      signInWithDirectory: async (loginPath, username, password) => {
        await api.loginWithDirectory(loginPath, username, password);
        await reload();
      },
      signInWithCode: async (code) => {
        await api.exchangeSsoCode(code);
        await reload();
      },
      signOut: async () => {
        await api.logout();
        setMe(null);
      },
      reload,
      membership: (tenantId) => me?.memberships.find((m) => m.tenant_id === tenantId) ?? null,
    }),
    [me, loading, reload],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
