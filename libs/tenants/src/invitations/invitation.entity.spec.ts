import { Invitation, invitationStatus } from './invitation.entity';

describe('invitationStatus', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  const base = {
    acceptedAt: null,
    revokedAt: null,
    expiresAt: new Date('2026-12-09T12:00:00Z'),
  } as Invitation;

  it('is pending until accepted, revoked or past its expiry', () => {
    expect(invitationStatus(base, now)).toBe('pending');
    expect(invitationStatus({ ...base, acceptedAt: now }, now)).toBe('accepted');
    expect(invitationStatus({ ...base, revokedAt: now }, now)).toBe('revoked');
    expect(invitationStatus({ ...base, expiresAt: now }, now)).toBe('expired');
  });

  it('stays accepted after its expiry', () => {
    expect(invitationStatus({ ...base, acceptedAt: now, expiresAt: new Date(0) }, now)).toBe('accepted');
  });
});
