import {
  describeWithDirectory,
  startDirectory,
  type TestDirectory,
} from '../../../../test/support/ldap/directory-server';
import { LdapDirectory, type LdapSettings } from './ldap-directory';

/** Password sign-in against a real OpenLDAP server (Debian's slapd, one throwaway instance). */
describeWithDirectory('LDAP directory against OpenLDAP', () => {
  let directory: TestDirectory;
  let settings: LdapSettings;
  const ldap = new LdapDirectory();

  beforeAll(async () => {
    directory = await startDirectory();
    settings = {
      url: directory.url,
      startTls: false,
      tlsCaPem: null,
      bindDn: directory.adminDn,
      bindPassword: directory.adminPassword,
      userBase: directory.peopleBase,
      userFilter: '(&(objectClass=inetOrgPerson)(uid={username}))',
      subjectAttribute: 'entryUUID',
      emailAttribute: 'mail',
      groupBase: directory.groupsBase,
      groupFilter: '(&(objectClass=groupOfNames)(member={dn}))',
      groupNameAttribute: 'cn',
      timeoutMs: 5_000,
    };
    await directory.addPerson('ada', { mail: 'ada@example.test', password: 'ada-password' });
    await directory.addPerson('bob', { password: 'bob-password' });
    await directory.setGroups('ada', ['acme-editors', 'all-staff']);
  }, 60_000);
  afterAll(() => directory?.stop());

  it('signs a person in with their password and reads who they are and their groups', async () => {
    const person = await ldap.authenticate(settings, 'ada', 'ada-password');
    expect(person).toEqual({
      dn: `uid=ada,${directory.peopleBase}`,
      subject: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      email: 'ada@example.test',
      groups: expect.arrayContaining(['acme-editors', 'all-staff']),
    });
    expect(person.groups).toHaveLength(2);
    // The same entry is the same subject at the next sign-in.
    expect((await ldap.authenticate(settings, ' ada ', 'ada-password')).subject).toBe(person.subject);
  });

  it('sees group changes at the next sign-in, and groups as DNs when asked', async () => {
    await directory.setGroups('bob', ['globex-viewers']);
    expect((await ldap.authenticate(settings, 'bob', 'bob-password')).groups).toEqual(['globex-viewers']);
    await directory.setGroups('bob', []);
    const bob = await ldap.authenticate(settings, 'bob', 'bob-password');
    expect(bob).toMatchObject({ groups: [], email: null });
    const byDn = await ldap.authenticate({ ...settings, groupNameAttribute: 'dn' }, 'ada', 'ada-password');
    expect(byDn.groups).toContain(`cn=acme-editors,${directory.groupsBase}`);
  });

  it.each([
    ['a wrong password', 'ada', 'not-her-password'],
    ['an unknown person', 'nobody', 'whatever-password'],
    ['an empty password (LDAP would take it as an anonymous bind)', 'ada', ''],
    ['a wildcard for a name', '*', 'ada-password'],
    ['a filter injected through the name', 'ada)(uid=*', 'ada-password'],
  ])('refuses %s as credentials', async (_what, username, password) => {
    await expect(ldap.authenticate(settings, username, password)).rejects.toMatchObject({
      failure: 'credentials',
    });
  });

  it('tells a directory it cannot use from a wrong password', async () => {
    await expect(
      ldap.authenticate({ ...settings, bindPassword: 'not-the-admin-password' }, 'ada', 'ada-password'),
    ).rejects.toMatchObject({ failure: 'directory' });
    await expect(
      ldap.authenticate({ ...settings, url: 'ldap://127.0.0.1:9', timeoutMs: 1_000 }, 'ada', 'ada-password'),
    ).rejects.toMatchObject({ failure: 'directory' });
    await expect(
      ldap.authenticate({ ...settings, subjectAttribute: 'employeeNumber' }, 'ada', 'ada-password'),
    ).rejects.toMatchObject({ failure: 'directory', message: expect.stringContaining('employeeNumber') });
  });
});
