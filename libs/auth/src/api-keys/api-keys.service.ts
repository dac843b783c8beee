import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, MoreThan, Or, Repository } from 'typeorm';
import { AuditService } from '@strata/audit';
import {
  BadRequest,
  Conflict,
  constantTimeEqual,
  ErrorCode,
  newId,
  NotFound,
  Page,
  sha256Hex,
  toPage,
} from '@strata/core';
import { TenantScopedRepository } from '@strata/storage';
import {
  AccessCache,
  ApiKeyPrincipal,
  effectivePermissions,
  grantablePermissions,
  KnowledgeBaseLookup,
  resolveKnowledgeBaseRefs,
  TenantContext,
  TenantScope,
} from '@strata/tenancy';
import { ApiKey } from './api-key.entity';
import { displayPrefix, looksLikeApiKey, newApiKeySecret } from './api-key-secret';
import {
  ApiKeyResponse,
  CreateApiKeyDto,
  CreatedApiKeyResponse,
  RotatedApiKeyResponse,
} from './dto/api-key.dto';

// last_used_at is informative; writing it at most this often keeps reads from becoming writes.
const LAST_USED_RESOLUTION_MS = 60_000;

const apiKeyNotFound = () => new NotFound(ErrorCode.API_KEY_NOT_FOUND, 'API key not found');

/** Tenant API keys: issue, list, revoke, and authenticate a presented key. */
@Injectable()
export class ApiKeysService {
  private readonly keys: TenantScopedRepository<ApiKey>;

  constructor(
    @InjectRepository(ApiKey) private readonly repository: Repository<ApiKey>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly knowledgeBases: KnowledgeBaseLookup,
    private readonly audit: AuditService,
    private readonly cache: AccessCache,
  ) {
    this.keys = new TenantScopedRepository(repository);
  }

  /** Issues a key; the response is the only time its secret is ever shown. */
  async create(context: TenantContext, dto: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    const scope = context.scope();
    const expiresAt = dto.expires_at === undefined ? null : new Date(dto.expires_at);
    if (expiresAt !== null && expiresAt.getTime() <= Date.now()) {
      throw new BadRequest(ErrorCode.VALIDATION_FAILED, 'expires_at must be in the future');
    }
    const secret = newApiKeySecret();
    const knowledgeBaseIds = await resolveKnowledgeBaseRefs(
      this.knowledgeBases,
      scope,
      dto.knowledge_base_ids,
    );
    const saved = await this.dataSource.transaction(async (manager) => {
      const row = await this.keys.withManager(manager).insert(
        scope,
        newKeyRow(context, secret, {
          name: dto.name,
          role: dto.role,
          knowledgeBaseIds,
          permissions: grantablePermissions(dto.role, dto.permissions),
          expiresAt,
          rotatedFrom: null,
        }),
      );
      await this.recordChange(manager, 'api_key.create', row, { name: row.name, role: row.role });
      return row;
    });
    return { ...ApiKeyResponse.from(saved), key: secret.key };
  }

  async list(scope: TenantScope, afterId: string | null, limit: number): Promise<Page<ApiKeyResponse>> {
    return toPage(await this.keys.page(scope, {}, afterId, limit + 1), limit, ApiKeyResponse.from);
  }

  /** The tenant's keys among `ids` (any state), by id. */
  async findByIds(scope: TenantScope, ids: readonly string[]): Promise<Map<string, ApiKeyResponse>> {
    if (ids.length === 0) return new Map();
    const rows = await this.keys.find(scope, { where: { id: In([...ids]) } });
    return new Map(rows.map((row) => [row.id, ApiKeyResponse.from(row)]));
  }

  /** The tenant's live keys: neither revoked nor expired. */
  countLive(scope: TenantScope): Promise<number> {
    return this.keys.count(scope, { revokedAt: IsNull(), expiresAt: Or(IsNull(), MoreThan(new Date())) });
  }

  /** Revokes a key at once; revoking a revoked key is a no-op. */
  async revoke(scope: TenantScope, keyId: string): Promise<ApiKeyResponse> {
    const key = await this.keys.findOne(scope, { id: keyId });
    if (key === null) throw apiKeyNotFound();
    if (key.revokedAt === null) {
      key.revokedAt = new Date();
      await this.dataSource.transaction(async (manager) => {
        await this.keys.withManager(manager).save(scope, key);
        await this.recordChange(manager, 'api_key.revoke', key, { name: key.name });
      });
    }
    return ApiKeyResponse.from(key);
  }

  /**
   * Rotates a live key: a new key with its name, role, KBs, flags and expiry (made by the caller,
   * naming the old one in `rotated_from`), while the old secret keeps working for `graceSeconds`
   * (0: revoked at once) so clients can move over. Only the answer shows the new secret. A
   * revoked or expired key cannot be rotated (409 API_KEY_NOT_ACTIVE).
   */
  async rotate(context: TenantContext, keyId: string, graceSeconds: number): Promise<RotatedApiKeyResponse> {
    const scope = context.scope();
    const secret = newApiKeySecret();
    return this.dataSource.transaction(async (manager) => {
      const keys = this.keys.withManager(manager);
      const old = await keys.findOne(scope, { id: keyId });
      if (old === null) throw apiKeyNotFound();
      const now = new Date();
      if (old.revokedAt !== null || (old.expiresAt !== null && old.expiresAt <= now))
        throw new Conflict(ErrorCode.API_KEY_NOT_ACTIVE, 'A revoked or expired API key cannot be rotated');
      const { name, role, knowledgeBaseIds, permissions, expiresAt } = old;
      const row = await keys.insert(
        scope,
        newKeyRow(context, secret, {
          name,
          role,
          knowledgeBaseIds,
          permissions,
          expiresAt,
          rotatedFrom: old.id,
        }),
      );
      const graceEnd = new Date(now.getTime() + graceSeconds * 1000);
      if (graceSeconds === 0) old.revokedAt = now;
      else if (old.expiresAt === null || old.expiresAt > graceEnd) old.expiresAt = graceEnd;
      await keys.save(scope, old);
      await this.recordChange(manager, 'api_key.rotate', old, {
        name: old.name,
        new_key_id: row.id,
        new_prefix: row.prefix,
        grace_seconds: graceSeconds,
      });
      return {
        ...ApiKeyResponse.from(row),
        key: secret.key,
        previous_expires_at: (old.revokedAt ?? old.expiresAt!).toISOString(),
      };
    });
  }

  /**
   * Revokes the tenant's live keys that `userId` created, in the caller's transaction (a member's
   * removal, when the tenant says so); each is audited like a revocation. Answers how many.
   */
  async revokeCreatedBy(scope: TenantScope, userId: string, manager: EntityManager): Promise<number> {
    const keys = this.keys.withManager(manager);
    const live = await keys.find(scope, { where: { createdBy: userId, revokedAt: IsNull() } });
    const now = new Date();
    for (const key of live) {
      key.revokedAt = now;
      await keys.save(scope, key);
      await this.recordChange(manager, 'api_key.revoke', key, { name: key.name, creator_removed: true });
    }
    return live.length;
  }

  private recordChange(
    manager: EntityManager,
    action: string,
    key: ApiKey,
    details: Record<string, unknown>,
  ) {
    return this.audit.record(
      {
        action,
        outcome: 'success',
        resourceType: 'api_key',
        resourceId: key.id,
        details: { ...details, prefix: key.prefix },
      },
      manager,
    );
  }

  /**
   * The principal of a presented key, or null for anything that is not a live key. Candidates are
   * found by display prefix and their hashes compared in constant time; the key found is kept by
   * the AccessCache (under its hash) until its row changes, and its expiry is checked on each use.
   */
  async authenticate(presented: string): Promise<ApiKeyPrincipal | null> {
    if (!looksLikeApiKey(presented)) return null;
    const hash = sha256Hex(presented);
    const key = await this.cache.read(
      'api_key',
      hash,
      async () => {
        const candidates = await this.repository.find({ where: { prefix: displayPrefix(presented) } });
        return candidates.find((candidate) => constantTimeEqual(candidate.keyHash, hash)) ?? null;
      },
      (found) => (found.revokedAt === null ? [`api_key:${found.id}`, `tenant:${found.tenantId}`] : null),
    );
    const now = Date.now();
    if (!key || key.revokedAt !== null || (key.expiresAt !== null && key.expiresAt.getTime() <= now))
      return null;
    if (key.lastUsedAt === null || now - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      // On the cached row too, so that the next uses of this minute do not write again.
      key.lastUsedAt = new Date(now);
      await this.repository.update({ id: key.id }, { lastUsedAt: key.lastUsedAt });
    }
    return {
      type: 'api_key',
      id: key.id,
      platformAdmin: false,
      tokenTenantId: key.tenantId,
      role: key.role,
      kbIds: key.knowledgeBaseIds,
      permissions: effectivePermissions(key.role, key.permissions),
    };
  }
}

/**
 * A new key's row with `secret`, made by the caller (a person, or nobody for a key or the CLI):
 * what it may do and until when are the key's own, the rest starts empty.
 */
function newKeyRow(
  context: TenantContext,
  secret: { prefix: string; hash: string },
  grant: Pick<ApiKey, 'name' | 'role' | 'knowledgeBaseIds' | 'permissions' | 'expiresAt' | 'rotatedFrom'>,
): Omit<ApiKey, 'tenantId'> {
  return {
    id: newId(),
    ...grant,
    prefix: secret.prefix,
    keyHash: secret.hash,
    createdBy: context.principal.type === 'user' ? context.principal.id : null,
    lastUsedAt: null,
    revokedAt: null,
  } as Omit<ApiKey, 'tenantId'>;
}
