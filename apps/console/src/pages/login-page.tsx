import { type FormEvent, useEffect, useState } from 'react';
import { Navigate, useLocation } from 'react-router';
import { describeError } from '../api/api-error';
import { API_BASE } from '../api/client';
import { ErrorText } from '../components/error-text';
import { ssoErrorText, ssoResult } from '../session/sso-result';
import { useSession } from '../session/session';

interface SignInOption {
  slug: string;
  kind: 'oidc' | 'ldap';
  display_name: string;
  login_path: string;
}

/** The password form's account: Strata's own (email) or a directory's (its user name). */
const STRATA_ACCOUNT = '';

export function LoginPage() {
  const session = useSession();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [providers, setProviders] = useState<SignInOption[]>([]);
  const [directory, setDirectory] = useState(STRATA_ACCOUNT);

  useEffect(() => {
    // A single sign-on comes back here with its outcome in the fragment: take it, then drop it
    // from the address bar and the history.
    const result = ssoResult(window.location.hash);
    if (result === null) return;
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    if (result.kind === 'error') {
      setError(ssoErrorText(result.code));
      return;
    }
    setBusy(true);
    session
      .signInWithCode(result.code)
      .catch((e: unknown) => setError(describeError(e)))
      .finally(() => setBusy(false));
    // Once, on arrival.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    fetch(`${API_BASE}/auth/providers`)
      .then(async (response) =>
        response.ok ? ((await response.json()) as { providers: SignInOption[] }) : null,
      )
      .then((body) => setProviders(body?.providers ?? []))
      .catch(() => setProviders([]));
  }, []);

  const redirects = providers.filter((p) => p.kind === 'oidc');
  const directories = providers.filter((p) => p.kind === 'ldap');
  const byDirectory = directory !== STRATA_ACCOUNT;

  if (session.me) return <Navigate to={(location.state as { from?: string } | null)?.from ?? '/'} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const chosen = directories.find((d) => d.slug === directory);
      if (chosen) await session.signInWithDirectory(chosen.login_path, email, password);
      else await session.signIn(email, password);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <h1 id="login-title">Strata</h1>
        {redirects.length > 0 && (
          <div className="sso-options">
            {redirects.map((provider) => (
              <a key={provider.slug} className="button" href={provider.login_path}>
                Sign in with {provider.display_name}
              </a>
            ))}
            <p className="sso-or muted">or with a password</p>
          </div>
        )}
        {directories.length > 0 && (
          <>
            <label htmlFor="account">Account</label>
            <select id="account" value={directory} onChange={(e) => setDirectory(e.target.value)}>
              <option value={STRATA_ACCOUNT}>Strata account (email)</option>
              {directories.map((d) => (
                <option key={d.slug} value={d.slug}>
                  {d.display_name}
                </option>
              ))}
            </select>
          </>
        )}
        <label htmlFor="email">{byDirectory ? 'User name' : 'Email'}</label>
        <input
          id="email"
          type={byDirectory ? 'text' : 'email'}
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorText error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
