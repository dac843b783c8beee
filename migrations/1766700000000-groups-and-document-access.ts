import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Groups of a tenant's members and API keys, and document access lists.
 *
 * - A document is visible to everyone who may read its KB (`access_restricted` false, the default)
 *   or only to the members and groups its lists name. A restricted document whose lists become
 *   empty (its last group deleted, its last named member gone) stays restricted: it falls back to
 *   tenant admins, never open to the whole KB.
 * - A member leaving the tenant leaves its groups and every document list naming them, so coming
 *   back later grants nothing the tenant admin has not granted again; an API key deleted leaves
 *   its groups (the foreign key); a rotated key's successor joins its groups as it is made.
 * - The partial index holds the restricted documents only: a KB with none costs a caller nothing.
 */
export class GroupsAndDocumentAccess1766700000000 implements MigrationInterface {
  name = 'GroupsAndDocumentAccess1766700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE groups (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX groups_name_idx ON groups (tenant_id, lower(name))`);
    await db.query(`CREATE INDEX groups_tenant_idx ON groups (tenant_id, id)`);
    await db.query(`
      CREATE TABLE group_members (
        tenant_id uuid NOT NULL,
        group_id uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
        user_id uuid REFERENCES users (id) ON DELETE CASCADE,
        api_key_id uuid REFERENCES api_keys (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((user_id IS NULL) <> (api_key_id IS NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX group_members_user_idx ON group_members (group_id, user_id)`);
    await db.query(`CREATE UNIQUE INDEX group_members_key_idx ON group_members (group_id, api_key_id)`);
    await db.query(`CREATE INDEX group_members_of_user_idx ON group_members (tenant_id, user_id)`);
    await db.query(`CREATE INDEX group_members_of_key_idx ON group_members (tenant_id, api_key_id)`);

    await db.query(`
      ALTER TABLE documents
        ADD COLUMN access_restricted boolean NOT NULL DEFAULT false,
        ADD COLUMN access_group_ids uuid[] NOT NULL DEFAULT '{}',
        ADD COLUMN access_user_ids uuid[] NOT NULL DEFAULT '{}'`);
    await db.query(
      `CREATE INDEX documents_restricted_idx ON documents (tenant_id, kb_id, id) WHERE access_restricted`,
    );

    await db.query(`
      CREATE FUNCTION groups_leave_document_lists() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE documents SET access_group_ids = array_remove(access_group_ids, OLD.id)
        WHERE tenant_id = OLD.tenant_id AND access_restricted AND OLD.id = ANY (access_group_ids);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER groups_gone AFTER DELETE ON groups
      FOR EACH ROW EXECUTE FUNCTION groups_leave_document_lists()`);
    await db.query(`
      CREATE FUNCTION members_leave_groups_and_lists() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM group_members WHERE tenant_id = OLD.tenant_id AND user_id = OLD.user_id;
        UPDATE documents SET access_user_ids = array_remove(access_user_ids, OLD.user_id)
        WHERE tenant_id = OLD.tenant_id AND access_restricted AND OLD.user_id = ANY (access_user_ids);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER memberships_gone_from_groups AFTER DELETE ON memberships
      FOR EACH ROW EXECUTE FUNCTION members_leave_groups_and_lists()`);
    await db.query(`
      CREATE FUNCTION rotated_keys_keep_groups() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO group_members (tenant_id, group_id, api_key_id)
        SELECT tenant_id, group_id, NEW.id FROM group_members WHERE api_key_id = NEW.rotated_from;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER api_keys_rotated_into_groups AFTER INSERT ON api_keys
      FOR EACH ROW WHEN (NEW.rotated_from IS NOT NULL) EXECUTE FUNCTION rotated_keys_keep_groups()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER api_keys_rotated_into_groups ON api_keys');
    await db.query('DROP FUNCTION rotated_keys_keep_groups');
    await db.query('DROP TRIGGER memberships_gone_from_groups ON memberships');
    await db.query('DROP FUNCTION members_leave_groups_and_lists');
    await db.query('DROP TRIGGER groups_gone ON groups');
    await db.query('DROP FUNCTION groups_leave_document_lists');
    await db.query('DROP INDEX documents_restricted_idx');
    await db.query(
      'ALTER TABLE documents DROP COLUMN access_restricted, DROP COLUMN access_group_ids, DROP COLUMN access_user_ids',
    );
    await db.query('DROP TABLE group_members');
    await db.query('DROP TABLE groups');
  }
}
