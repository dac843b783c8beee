import { firstRdnValue } from './ldap-directory';

describe('firstRdnValue', () => {
  it('takes the value of a DN’s first component, unescaped', () => {
    expect(firstRdnValue('CN=Acme Editors,OU=Groups,DC=corp,DC=example')).toBe('Acme Editors');
    expect(firstRdnValue('cn=Smith\\, John,ou=people,dc=example')).toBe('Smith, John');
    expect(firstRdnValue('not a dn')).toBeNull();
  });
});
