import { randomBytes } from 'node:crypto';
import { openSecret, sealSecret } from './secret-box';

describe('secret box', () => {
  const key = randomBytes(32);

  it('round-trips and never shows the plaintext', () => {
    const sealed = sealSecret('sk-provider-123', key, 'tenant-a');
    expect(sealed).not.toContain('sk-provider-123');
    expect(sealed.startsWith('v1:')).toBe(true);
    expect(openSecret(sealed, key, 'tenant-a')).toBe('sk-provider-123');
    expect(sealSecret('sk-provider-123', key, 'tenant-a')).not.toBe(sealed);
  });

  it('refuses another key, another tenant, or a changed ciphertext', () => {
    const sealed = sealSecret('secret', key, 'tenant-a');
    expect(() => openSecret(sealed, randomBytes(32), 'tenant-a')).toThrow();
    expect(() => openSecret(sealed, key, 'tenant-b')).toThrow();
    const [v, iv, tag, body] = sealed.split(':');
    const flipped = Buffer.from(body, 'base64');
    flipped[0] ^= 1;
    expect(() => openSecret([v, iv, tag, flipped.toString('base64')].join(':'), key, 'tenant-a')).toThrow();
    expect(() => openSecret('garbage', key, 'tenant-a')).toThrow('not a sealed secret');
  });
});
