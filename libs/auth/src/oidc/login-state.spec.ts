import { randomBytes } from 'node:crypto';
import { sealSecret } from '@strata/core';
import { type LoginState, openLoginState, sealLoginState } from './login-state';

describe('OIDC login state', () => {
  const key = randomBytes(32);
  const state: LoginState = {
    providerId: '0b6c2a52-5d1f-4c55-9d3c-6f1d7a0f2b11',
    state: 'st',
    nonce: 'no',
    codeVerifier: 'v'.repeat(43),
    tenantRef: 'acme',
    expiresAt: 2_000,
  };

  it('opens what it sealed, before it expires', () => {
    const sealed = sealLoginState(state, key);
    // Nothing of the state shows: values long enough that random ciphertext does not hold them by
    // chance (a two-letter one did, now and then).
    for (const value of [state.providerId, state.codeVerifier, 'tenantRef', 'acme', 'codeVerifier'])
      expect(sealed).not.toContain(value);
    expect(openLoginState(sealed, key, 1_999)).toEqual(state);
  });

  it('opens nothing expired, altered, sealed with another key or for another purpose', () => {
    const sealed = sealLoginState(state, key);
    expect(openLoginState(sealed, key, 2_000)).toBeNull();
    expect(openLoginState(undefined, key)).toBeNull();
    expect(openLoginState(`${sealed.slice(0, -4)}AAA=`, key, 0)).toBeNull();
    expect(openLoginState(sealed, randomBytes(32), 0)).toBeNull();
    expect(openLoginState(sealSecret(JSON.stringify(state), key, 'tenant-id'), key, 0)).toBeNull();
  });

  it('opens nothing malformed', () => {
    const partial = { ...state, nonce: undefined };
    const sealedPartial = sealSecret(JSON.stringify(partial), key, 'strata:oidc-login-state:v1');
    expect(openLoginState(sealedPartial, key, 0)).toBeNull();
    const notJson = sealSecret('{', key, 'strata:oidc-login-state:v1');
    expect(openLoginState(notJson, key, 0)).toBeNull();
  });
});
