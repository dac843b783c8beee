import { ssoErrorText, ssoResult } from './sso-result';

describe('ssoResult', () => {
  it('reads the code or the error the callback put in the fragment', () => {
    expect(ssoResult('#sso=sso_abc')).toEqual({ kind: 'code', code: 'sso_abc' });
    expect(ssoResult('#sso_error=SSO_REJECTED')).toEqual({ kind: 'error', code: 'SSO_REJECTED' });
  });

  it('finds nothing in an empty or unrelated fragment', () => {
    expect(ssoResult('')).toBeNull();
    expect(ssoResult('#section-2')).toBeNull();
    expect(ssoResult('#sso=')).toBeNull();
  });
});

describe('ssoErrorText', () => {
  it('says what to do for known codes and names unknown ones', () => {
    expect(ssoErrorText('ACCOUNT_DISABLED')).toMatch(/disabled/);
    expect(ssoErrorText('SOMETHING_NEW')).toBe('Single sign-on failed (SOMETHING_NEW).');
  });
});
