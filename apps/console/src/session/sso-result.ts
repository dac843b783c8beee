/** What a single sign-on's callback handed the console in the URL fragment. */
export type SsoResult = { kind: 'code'; code: string } | { kind: 'error'; code: string };

/** `#sso=<one-time code>` or `#sso_error=<ERROR_CODE>`; anything else is null. */
export function ssoResult(hash: string): SsoResult | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const code = params.get('sso');
  if (code) return { kind: 'code', code };
  const error = params.get('sso_error');
  if (error) return { kind: 'error', code: error };
  return null;
}

const SSO_ERRORS: Record<string, string> = {
  SSO_REJECTED: 'The sign-in could not be completed. Start it again from this page.',
  SSO_ACCOUNT_CONFLICT:
    'An account with your email already exists here and is not linked to this sign-in. Ask an administrator.',
  ACCOUNT_DISABLED: 'Your account is disabled. Ask an administrator.',
  SSO_PROVIDER_UNAVAILABLE: 'The identity provider could not be reached. Try again later.',
  IDENTITY_PROVIDER_NOT_FOUND: 'That way of signing in is no longer offered.',
};

/** A sign-in failure in words a person can act on. */
export function ssoErrorText(code: string): string {
  return SSO_ERRORS[code] ?? `Single sign-on failed (${code}).`;
}
