import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { freePort, type RunningProcess, stopProcess } from '../processes';

const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';
const SCHEMAS = '/etc/ldap/schema';
const MODULES = '/usr/lib/ldap';

export const DIRECTORY_BASE = 'dc=example,dc=test';
const ADMIN_DN = `cn=admin,${DIRECTORY_BASE}`;
const ADMIN_PASSWORD = 'directory-admin-password';

/**
 * Why OpenLDAP cannot run here (null: it can): Debian's `slapd` package is what the LDAP suites
 * use; `.ci/run` installs it, so under CI a missing one is a failure, not a skip.
 */
export function slapdUnavailable(): string | null {
  if (!existsSync(SLAPD) || !existsSync(SLAPADD)) return `no ${SLAPD} (apt-get install slapd)`;
  if (!existsSync(join(SCHEMAS, 'inetorgperson.schema'))) return `no OpenLDAP schemas in ${SCHEMAS}`;
  return null;
}

/** `describe` for suites that need slapd: skipped with the reason outside CI, failing under CI. */
export function describeWithDirectory(name: string, body: () => void): void {
  const unavailable = slapdUnavailable();
  if (unavailable && !process.env.CI) describe.skip(`${name} (skipped: ${unavailable})`, body);
  else describe(name, body);
}

/** A throwaway OpenLDAP server (one per suite) with people and groups, and its controls. */
export interface TestDirectory {
  url: string;
  adminDn: string;
  adminPassword: string;
  peopleBase: string;
  groupsBase: string;
  /** Adds a person (inetOrgPerson under ou=people) who binds with `password`. */
  addPerson(uid: string, person: { mail?: string; password: string }): Promise<string>;
  /** Makes `uid` a member of exactly these groups (groupOfNames under ou=groups), creating them. */
  setGroups(uid: string, groups: string[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startDirectory(): Promise<TestDirectory> {
  const unavailable = slapdUnavailable();
  if (unavailable) throw new Error(`OpenLDAP cannot run: ${unavailable}`);
  const dir = mkdtempSync(join(tmpdir(), 'strata-slapd-'));
  mkdirSync(join(dir, 'data'));
  const config = join(dir, 'slapd.conf');
  writeFileSync(
    config,
    [
      ...['core', 'cosine', 'nis', 'inetorgperson'].map((s) => `include ${SCHEMAS}/${s}.schema`),
      `modulepath ${MODULES}`,
      'moduleload back_mdb',
      `pidfile ${join(dir, 'slapd.pid')}`,
      'database mdb',
      `suffix "${DIRECTORY_BASE}"`,
      `rootdn "${ADMIN_DN}"`,
      `rootpw ${ADMIN_PASSWORD}`,
      `directory ${join(dir, 'data')}`,
      'maxsize 16777216',
      // People may bind with their password; nobody reads passwords; the rest is readable.
      'access to attrs=userPassword by anonymous auth by * none',
      'access to * by * read',
      '',
    ].join('\n'),
  );
  const seed = join(dir, 'seed.ldif');
  writeFileSync(
    seed,
    [
      `dn: ${DIRECTORY_BASE}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example`,
      `dn: ou=people,${DIRECTORY_BASE}\nobjectClass: organizationalUnit\nou: people`,
      `dn: ou=groups,${DIRECTORY_BASE}\nobjectClass: organizationalUnit\nou: groups`,
      '',
    ].join('\n\n'),
  );
  const loaded = spawnSync(SLAPADD, ['-f', config, '-l', seed], { encoding: 'utf8' });
  if (loaded.status !== 0) throw new Error(`slapadd failed: ${loaded.stderr}`);

  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const child = spawn(SLAPD, ['-f', config, '-h', `${url}/`, '-d', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const running: RunningProcess = { child, output: () => output };

  const admin = () => new Client({ url, timeout: 5_000, connectTimeout: 5_000 });
  const asAdmin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = admin();
    try {
      await client.bind(ADMIN_DN, ADMIN_PASSWORD);
      return await work(client);
    } finally {
      await client.unbind();
    }
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await asAdmin(async () => undefined);
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`slapd did not start: ${String(error)}\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const peopleBase = `ou=people,${DIRECTORY_BASE}`;
  const groupsBase = `ou=groups,${DIRECTORY_BASE}`;
  const personDn = (uid: string) => `uid=${uid},${peopleBase}`;
  return {
    url,
    adminDn: ADMIN_DN,
    adminPassword: ADMIN_PASSWORD,
    peopleBase,
    groupsBase,
    addPerson: (uid, person) =>
      asAdmin(async (client) => {
        await client.add(personDn(uid), {
          objectClass: ['inetOrgPerson'],
          uid,
          cn: uid,
          sn: uid,
          userPassword: person.password,
          ...(person.mail ? { mail: person.mail } : {}),
        });
        return personDn(uid);
      }),
    setGroups: (uid, groups) =>
      asAdmin(async (client) => {
        const member = personDn(uid);
        const { searchEntries } = await client.search(groupsBase, {
          scope: 'one',
          filter: '(objectClass=groupOfNames)',
          attributes: ['cn', 'member'],
        });
        const existing = new Map(searchEntries.map((e) => [String(e.cn), e]));
        for (const [cn, entry] of existing) {
          const members = ([] as unknown[]).concat(entry.member ?? []).map(String);
          const wanted = groups.includes(cn);
          if (wanted && !members.includes(member)) {
            await client.modify(
              entry.dn,
              new Change({
                operation: 'add',
                modification: new Attribute({ type: 'member', values: [member] }),
              }),
            );
          }
          // groupOfNames needs a member: the admin stands in for an emptied group.
          if (!wanted && members.includes(member)) {
            const operations =
              members.length === 1
                ? [
                    new Change({
                      operation: 'add',
                      modification: new Attribute({ type: 'member', values: [ADMIN_DN] }),
                    }),
                    new Change({
                      operation: 'delete',
                      modification: new Attribute({ type: 'member', values: [member] }),
                    }),
                  ]
                : [
                    new Change({
                      operation: 'delete',
                      modification: new Attribute({ type: 'member', values: [member] }),
                    }),
                  ];
            await client.modify(entry.dn, operations);
          }
        }
        for (const cn of groups.filter((g) => !existing.has(g))) {
          await client.add(`cn=${cn},${groupsBase}`, { objectClass: ['groupOfNames'], cn, member: member });
        }
      }),
    stop: async () => {
      await stopProcess(running);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
