import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The channel the notifications go to; the api replicas LISTEN on it. */
export const ACCESS_CHANGES_CHANNEL = 'strata_access_changes';

/**
 * Each table whose rows decide who may do what, the columns whose change matters, the tag a
 * change notifies and the column that names it. A replica caches what it read from these rows
 * and forgets every entry carrying a notified tag (libs/tenancy/src/access). Columns that move
 * on their own (a KB's document count, a key's last use) notify nothing: they decide nothing.
 */
const WATCHED = [
  { table: 'users', columns: ['email', 'platform_admin', 'disabled_at'], tag: 'user', key: 'id' },
  { table: 'sessions', columns: ['user_id', 'revoked_at'], tag: 'session', key: 'id' },
  {
    table: 'memberships',
    columns: ['tenant_id', 'user_id', 'role', 'knowledge_base_ids', 'permissions'],
    tag: 'user',
    key: 'user_id',
  },
  { table: 'tenants', columns: ['slug', 'name', 'status', 'quotas'], tag: 'tenant', key: 'id' },
  { table: 'knowledge_bases', columns: ['tenant_id', 'slug'], tag: 'kb', key: 'id' },
  {
    table: 'api_keys',
    columns: [
      'tenant_id',
      'key_hash',
      'role',
      'knowledge_base_ids',
      'permissions',
      'expires_at',
      'revoked_at',
    ],
    tag: 'api_key',
    key: 'id',
  },
] as const;

/**
 * Access changes notify: an update of a deciding column or a delete in the tables above sends
 * `<tag>:<id>` on ACCESS_CHANGES_CHANNEL, at commit, whoever wrote it (the API, a worker, the CLI,
 * an operator in psql). Inserts notify nothing: a cache holds only rows that existed.
 */
export class AccessChangeNotifications1765800000000 implements MigrationInterface {
  name = 'AccessChangeNotifications1765800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION strata_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${ACCESS_CHANGES_CHANNEL}', TG_ARGV[0] || ':' || (to_jsonb(OLD) ->> TG_ARGV[1]));
        RETURN NULL;
      END $$`);
    for (const { table, columns, tag, key } of WATCHED) {
      await db.query(
        `CREATE TRIGGER ${table}_access_changed
         AFTER UPDATE OF ${columns.join(', ')} OR DELETE ON ${table}
         FOR EACH ROW EXECUTE FUNCTION strata_access_changed('${tag}', '${key}')`,
      );
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const { table } of WATCHED) await db.query(`DROP TRIGGER ${table}_access_changed ON ${table}`);
    await db.query(`DROP FUNCTION strata_access_changed()`);
  }
}
