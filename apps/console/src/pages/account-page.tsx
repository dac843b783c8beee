import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import type { SignInSession } from '../api/types';
import { ActionOutcome, ErrorText } from '../components/error-text';
import { formatWhen } from '../components/format';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';
import { describeDevice } from '../session/device';
import { useSession } from '../session/session';

/**
 * The signed-in person's own account: their password, and where they are signed in, with a way
 * to end any one of those sessions or all of them.
 */
export function AccountPage() {
  const session = useSession();
  const sessions = useLoad(() => api.get<SignInSession[]>('/auth/sessions'), []);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeated, setRepeated] = useState('');
  const password = useAction();
  const signIns = useAction();

  const changePassword = (event: FormEvent) => {
    event.preventDefault();
    if (next !== repeated) {
      void password.run(() => Promise.reject(new Error('The new password and its repetition differ.')));
      return;
    }
    void password.run(async () => {
      await api.post('/auth/password', { current_password: current, new_password: next });
      setCurrent('');
      setNext('');
      setRepeated('');
      await sessions.reload();
    }, 'Your password is changed. Every other session of yours has ended; this one stays.');
  };
  const end = (target: SignInSession) =>
    void signIns.run(
      async () => {
        await api.delete(`/auth/sessions/${target.id}`);
        await sessions.reload();
      },
      `Signed out ${describeDevice(target)}.`,
    );
  const endAll = () => {
    if (!window.confirm('Sign out everywhere, here too?')) return;
    void signIns.run(async () => {
      await api.delete('/auth/sessions');
      await session.signOut();
    });
  };

  return (
    <section>
      <h1>Your account</h1>
      <p>{session.me?.user?.email}</p>
      <form className="stack-form card-form" onSubmit={changePassword} aria-label="Change password">
        <h2>Change password</h2>
        <label htmlFor="current-password">Current password</label>
        <input
          id="current-password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <label htmlFor="new-password">New password (12 characters or more)</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          maxLength={1024}
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
        <label htmlFor="repeat-password">New password again</label>
        <input
          id="repeat-password"
          type="password"
          autoComplete="new-password"
          required
          value={repeated}
          onChange={(e) => setRepeated(e.target.value)}
        />
        <button type="submit">Change password</button>
        <ActionOutcome error={password.error} done={password.done} />
      </form>

      <h2>Where you are signed in</h2>
      <ActionOutcome error={signIns.error} done={signIns.done} />
      <ErrorText error={sessions.error} />
      <table className="sessions">
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Address</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last active</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {sessions.value?.map((s) => (
            <tr key={s.id}>
              <td data-label="Device" title={s.user_agent ?? undefined}>
                {describeDevice(s)} {s.current && <span className="tag">this session</span>}
              </td>
              <td data-label="Address">{s.ip ?? 'unknown'}</td>
              <td data-label="Signed in">{formatWhen(s.created_at)}</td>
              <td data-label="Last active">{formatWhen(s.last_used_at)}</td>
              <td>
                {!s.current && (
                  <button type="button" className="link danger nowrap" onClick={() => end(s)}>
                    Sign out
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button type="button" className="danger-button" onClick={endAll}>
          Sign out everywhere
        </button>
      </p>
    </section>
  );
}
