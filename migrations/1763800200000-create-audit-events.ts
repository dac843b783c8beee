import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only audit trail. Rows form one hash chain per tenant (`chain` = tenant id, or
 * 'platform' for events outside any tenant); a trigger refuses UPDATE, DELETE and TRUNCATE. There is
 * deliberately no foreign key to tenants: the trail outlives what it describes.
 */
export class CreateAuditEvents1763800200000 implements MigrationInterface {
  name = 'CreateAuditEvents1763800200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY,
        chain text NOT NULL,
        seq bigint NOT NULL,
        at timestamptz NOT NULL,
        tenant_id uuid,
        kb_id uuid,
        actor_type text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system', 'anonymous')),
        actor_id text,
        action text NOT NULL,
        resource_type text,
        resource_id text,
        outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'error')),
        request_id text,
        ip text,
        user_agent text,
        details jsonb NOT NULL DEFAULT '{}',
        prev_hash char(64),
        hash char(64) NOT NULL,
        UNIQUE (chain, seq)
      )`);
    await db.query(`CREATE INDEX audit_events_tenant_idx ON audit_events (tenant_id, id)`);
    await db.query(`CREATE INDEX audit_events_request_idx ON audit_events (request_id)`);
    await db.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await db.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE audit_events');
    await db.query('DROP FUNCTION audit_events_append_only()');
  }
}
