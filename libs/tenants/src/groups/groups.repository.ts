import { type SqlRunner, updateReturning } from '@strata/storage';
import type { Principal, TenantScope } from '@strata/tenancy';

export interface GroupRow {
  id: string;
  name: string;
  description: string;
  users: number;
  api_keys: number;
  created_at: Date;
  updated_at: Date;
}

/** A member of a group: a person or an API key. */
export interface GroupMemberRow {
  type: 'user' | 'api_key';
  id: string;
  created_at: Date;
}

const COLUMNS = `g.id, g.name, g.description, g.created_at, g.updated_at,
  (SELECT count(*)::int FROM group_members m WHERE m.group_id = g.id AND m.user_id IS NOT NULL) AS users,
  (SELECT count(*)::int FROM group_members m WHERE m.group_id = g.id AND m.api_key_id IS NOT NULL) AS api_keys`;

const select = async <T>(db: SqlRunner, sql: string, params: unknown[]) =>
  (await db.query(sql, params)) as T[];

const MEMBER_COLUMN = { user: 'user_id', api_key: 'api_key_id' } as const;

/** The groups table and its members; every statement is limited to the scope's tenant. */
export const GroupsRepository = {
  async insert(db: SqlRunner, scope: TenantScope, group: { id: string; name: string; description: string }) {
    await db.query(`INSERT INTO groups (id, tenant_id, name, description) VALUES ($1, $2, $3, $4)`, [
      group.id,
      scope.tenantId,
      group.name,
      group.description,
    ]);
  },

  async find(db: SqlRunner, scope: TenantScope, id: string): Promise<GroupRow | null> {
    const rows = await select<GroupRow>(
      db,
      `SELECT ${COLUMNS} FROM groups g WHERE g.tenant_id = $1 AND g.id = $2`,
      [scope.tenantId, id],
    );
    return rows[0] ?? null;
  },

  /** The tenant's groups in the order they were made (ids are time-ordered), after `afterId`. */
  async page(db: SqlRunner, scope: TenantScope, afterId: string | null, take: number): Promise<GroupRow[]> {
    return select<GroupRow>(
      db,
      `SELECT ${COLUMNS} FROM groups g
       WHERE g.tenant_id = $1 AND ($2::uuid IS NULL OR g.id > $2) ORDER BY g.id LIMIT $3`,
      [scope.tenantId, afterId, take],
    );
  },

  async update(
    db: SqlRunner,
    scope: TenantScope,
    id: string,
    change: { name?: string; description?: string },
  ): Promise<boolean> {
    const rows = await updateReturning<{ id: string }>(
      db,
      `UPDATE groups SET name = coalesce($3, name), description = coalesce($4, description), updated_at = now()
       WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      [scope.tenantId, id, change.name ?? null, change.description ?? null],
    );
    return rows.length > 0;
  },

  async delete(db: SqlRunner, scope: TenantScope, id: string): Promise<boolean> {
    const rows = await updateReturning<{ id: string }>(
      db,
      `DELETE FROM groups WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      [scope.tenantId, id],
    );
    return rows.length > 0;
  },

  /** Adds a member; answers false when it already was one. */
  async addMember(
    db: SqlRunner,
    scope: TenantScope,
    groupId: string,
    member: { type: 'user' | 'api_key'; id: string },
  ): Promise<boolean> {
    const column = MEMBER_COLUMN[member.type];
    const rows = await updateReturning<{ group_id: string }>(
      db,
      `INSERT INTO group_members (tenant_id, group_id, ${column}) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING group_id`,
      [scope.tenantId, groupId, member.id],
    );
    return rows.length > 0;
  },

  /** Removes a member; answers false when it was none. */
  async removeMember(
    db: SqlRunner,
    scope: TenantScope,
    groupId: string,
    member: { type: 'user' | 'api_key'; id: string },
  ): Promise<boolean> {
    const column = MEMBER_COLUMN[member.type];
    const rows = await updateReturning<{ group_id: string }>(
      db,
      `DELETE FROM group_members WHERE tenant_id = $1 AND group_id = $2 AND ${column} = $3 RETURNING group_id`,
      [scope.tenantId, groupId, member.id],
    );
    return rows.length > 0;
  },

  /**
   * Puts a person in exactly `groupIds` (those that are groups of the tenant) among the groups
   * `providerId` put them in: adds the missing ones as the provider's, removes the provider's
   * others; a membership an admin made is neither taken over nor removed. Answers what changed.
   */
  async syncProviderGrants(
    db: SqlRunner,
    scope: TenantScope,
    userId: string,
    providerId: string,
    groupIds: readonly string[],
  ): Promise<{ added: string[]; removed: string[] }> {
    const added = await updateReturning<{ group_id: string }>(
      db,
      `INSERT INTO group_members (tenant_id, group_id, user_id, granted_by_provider)
       SELECT $1, g.id, $2, $3 FROM groups g WHERE g.tenant_id = $1 AND g.id = ANY ($4::uuid[])
       ON CONFLICT DO NOTHING RETURNING group_id`,
      [scope.tenantId, userId, providerId, [...groupIds]],
    );
    const removed = await updateReturning<{ group_id: string }>(
      db,
      `DELETE FROM group_members
       WHERE tenant_id = $1 AND user_id = $2 AND granted_by_provider = $3 AND NOT (group_id = ANY ($4::uuid[]))
       RETURNING group_id`,
      [scope.tenantId, userId, providerId, [...groupIds]],
    );
    return { added: added.map((r) => r.group_id), removed: removed.map((r) => r.group_id) };
  },

  /** A group's members, oldest first. */
  async members(db: SqlRunner, scope: TenantScope, groupId: string): Promise<GroupMemberRow[]> {
    return select<GroupMemberRow>(
      db,
      `SELECT CASE WHEN user_id IS NULL THEN 'api_key' ELSE 'user' END AS type,
         coalesce(user_id, api_key_id) AS id, created_at
       FROM group_members WHERE tenant_id = $1 AND group_id = $2 ORDER BY created_at, id`,
      [scope.tenantId, groupId],
    );
  },

  /** The groups of the tenant among `ids`. */
  async existing(db: SqlRunner, scope: TenantScope, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await select<{ id: string }>(
      db,
      `SELECT id FROM groups WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
      [scope.tenantId, [...ids]],
    );
    return new Set(rows.map((r) => r.id));
  },

  /** The groups a person or an API key is in, in this tenant; none for anyone else. */
  async groupsOf(db: SqlRunner, scope: TenantScope, principal: Principal): Promise<string[]> {
    if (principal.type === 'system') return [];
    const column = MEMBER_COLUMN[principal.type];
    const rows = await select<{ group_id: string }>(
      db,
      `SELECT group_id FROM group_members WHERE tenant_id = $1 AND ${column} = $2`,
      [scope.tenantId, principal.id],
    );
    return rows.map((r) => r.group_id);
  },
};
