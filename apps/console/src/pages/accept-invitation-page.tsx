import { type FormEvent, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { describeError } from '../api/api-error';
import { api } from '../api/client';
import { ErrorText } from '../components/error-text';

/**
 * Where an invitation link leads (`/console/accept-invitation#token=…`; a fragment never reaches a
 * server's logs): the invitee sets the password of a new account, or gives their existing one.
 */
export function AcceptInvitationPage() {
  const location = useLocation();
  const fromLink = new URLSearchParams(location.hash.replace(/^#/, '')).get('token') ?? '';
  const [token, setToken] = useState(fromLink);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [accepted, setAccepted] = useState<{ new_user: boolean } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setAccepted(await api.acceptInvitation(token.trim(), password));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  if (accepted) {
    return (
      <main className="login">
        <div className="card" role="status">
          <h1>Invitation accepted</h1>
          <p>
            {accepted.new_user ? 'Your account is ready' : 'You are now a member'}: sign in with your email
            and password.
          </p>
          <Link to="/login">Sign in</Link>
        </div>
      </main>
    );
  }
  return (
    <main className="login">
      <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="accept-title">
        <h1 id="accept-title">Accept an invitation</h1>
        {!fromLink && (
          <>
            <label htmlFor="invitation-token">Invitation token</label>
            <input id="invitation-token" required value={token} onChange={(e) => setToken(e.target.value)} />
          </>
        )}
        <label htmlFor="invitation-password">Password</label>
        <input
          id="invitation-password"
          type="password"
          autoComplete="new-password"
          minLength={12}
          required
          aria-describedby="invitation-password-hint"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <p id="invitation-password-hint" className="hint">
          New to Strata: choose one, 12 characters or more. Already have an account: its password.
        </p>
        <ErrorText error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Accepting…' : 'Accept'}
        </button>
      </form>
    </main>
  );
}
