import { Client, Filter, InvalidCredentialsError, type Entry } from 'ldapts';

/** One LDAP or Active Directory server as Strata authenticates against it. */
export interface LdapSettings {
  /** `ldap://host:389` or `ldaps://host:636`. */
  url: string;
  /** Upgrade an `ldap://` connection with StartTLS before anything is sent. */
  startTls: boolean;
  /** PEM certificates to trust for ldaps/StartTLS besides the system's; null = the system's. */
  tlsCaPem: string | null;
  /** The account Strata searches with; null = an anonymous search. */
  bindDn: string | null;
  bindPassword: string | null;
  /** Where people are found (subtree). */
  userBase: string;
  /** The filter that finds one person; `{username}` is replaced by the escaped sign-in name. */
  userFilter: string;
  /** The attribute that names an entry for good: `entryUUID` (OpenLDAP), `objectGUID` (AD). */
  subjectAttribute: string;
  emailAttribute: string;
  /**
   * Where groups are searched (subtree) with `groupFilter` (`{dn}` = the person's escaped DN);
   * null = read the person's `memberOf` attribute instead (Active Directory, OpenLDAP's memberof overlay).
   */
  groupBase: string | null;
  groupFilter: string;
  /** The group attribute that becomes a claim value (`cn`), or `dn` for the whole DN. */
  groupNameAttribute: string;
  timeoutMs: number;
}

/** Who the directory says signed in. */
export interface LdapPerson {
  dn: string;
  subject: string;
  email: string | null;
  groups: string[];
}

/** `directory`: the server could not be used (down, misconfigured); `credentials`: wrong name or password. */
export type LdapFailure = 'directory' | 'credentials';

export class LdapLoginFailed extends Error {
  constructor(
    readonly failure: LdapFailure,
    message: string,
  ) {
    super(message);
    this.name = 'LdapLoginFailed';
  }
}

/**
 * Password sign-in against an LDAP directory: find the person with the search account, bind as
 * them with their password (an empty password is refused before the server sees it: LDAP takes
 * it as an unauthenticated bind that succeeds), then read their groups.
 */
export class LdapDirectory {
  async authenticate(settings: LdapSettings, username: string, password: string): Promise<LdapPerson> {
    if (username.trim() === '' || password === '') {
      throw new LdapLoginFailed('credentials', 'a user name and a password are required');
    }
    const search = await this.connect(settings);
    try {
      await this.bindService(search, settings);
      const entry = await this.findPerson(search, settings, username);
      await this.bindAs(settings, entry.dn, password);
      const subject = attributeText(entry, settings.subjectAttribute);
      if (subject === null) {
        throw new LdapLoginFailed('directory', `the entry ${entry.dn} has no ${settings.subjectAttribute}`);
      }
      return {
        dn: entry.dn,
        subject,
        email: attributeText(entry, settings.emailAttribute),
        groups: await this.groupsOf(search, settings, entry),
      };
    } finally {
      await search.unbind().catch(() => undefined);
    }
  }

  private async connect(settings: LdapSettings): Promise<Client> {
    const tlsOptions = settings.tlsCaPem ? { ca: [settings.tlsCaPem] } : undefined;
    const client = new Client({
      url: settings.url,
      timeout: settings.timeoutMs,
      connectTimeout: settings.timeoutMs,
      ...(tlsOptions ? { tlsOptions } : {}),
    });
    if (settings.startTls) {
      await this.directoryStep(() => client.startTLS(tlsOptions ?? {}), 'StartTLS');
    }
    return client;
  }

  private async bindService(client: Client, settings: LdapSettings): Promise<void> {
    if (settings.bindDn === null) return;
    await this.directoryStep(
      () => client.bind(settings.bindDn!, settings.bindPassword ?? ''),
      'the search account could not bind',
    );
  }

  private async findPerson(client: Client, settings: LdapSettings, username: string): Promise<Entry> {
    const filter = settings.userFilter.split('{username}').join(Filter.escape(username.trim()));
    const { searchEntries } = await this.directoryStep(
      () =>
        client.search(settings.userBase, {
          scope: 'sub',
          filter,
          sizeLimit: 2,
          attributes: [settings.subjectAttribute, settings.emailAttribute, 'memberOf'],
          explicitBufferAttributes: ['objectGUID'],
        }),
      'the person search failed',
    );
    // None, or more than one (the filter does not name one person): the same answer as a wrong password.
    if (searchEntries.length !== 1) throw new LdapLoginFailed('credentials', 'invalid user name or password');
    return searchEntries[0];
  }

  private async bindAs(settings: LdapSettings, dn: string, password: string): Promise<void> {
    const client = await this.connect(settings);
    try {
      await client.bind(dn, password);
    } catch (error) {
      if (error instanceof InvalidCredentialsError) {
        throw new LdapLoginFailed('credentials', 'invalid user name or password');
      }
      throw new LdapLoginFailed('directory', `binding as the person failed: ${describe(error)}`);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  private async groupsOf(client: Client, settings: LdapSettings, person: Entry): Promise<string[]> {
    const byName = settings.groupNameAttribute.toLowerCase() === 'dn';
    if (settings.groupBase === null) {
      const dns = values(person, 'memberOf');
      return unique(byName ? dns : dns.map(firstRdnValue).filter((v): v is string => v !== null));
    }
    const filter = settings.groupFilter.split('{dn}').join(Filter.escape(person.dn));
    const { searchEntries } = await this.directoryStep(
      () =>
        client.search(settings.groupBase!, {
          scope: 'sub',
          filter,
          attributes: byName ? ['dn'] : [settings.groupNameAttribute],
        }),
      'the group search failed',
    );
    return unique(
      searchEntries.flatMap((group) => (byName ? [group.dn] : values(group, settings.groupNameAttribute))),
    );
  }

  private async directoryStep<T>(step: () => Promise<T>, what: string): Promise<T> {
    try {
      return await step();
    } catch (error) {
      throw new LdapLoginFailed('directory', `${what}: ${describe(error)}`);
    }
  }
}

function values(entry: Entry, attribute: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  if (key === undefined) return [];
  return ([] as unknown[])
    .concat(entry[key])
    .map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : String(v)));
}

function attributeText(entry: Entry, attribute: string): string | null {
  return values(entry, attribute)[0] ?? null;
}

/** `CN=Acme Editors,OU=Groups,DC=corp` → `Acme Editors` (escaped commas kept as commas). */
export function firstRdnValue(dn: string): string | null {
  const match = /^[^=]+=((?:\\.|[^,\\])*)/.exec(dn);
  return match ? match[1].replace(/\\(.)/g, '$1') : null;
}

const unique = (list: string[]) => [...new Set(list)];

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
