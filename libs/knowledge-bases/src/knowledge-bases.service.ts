import { KbDocumentRequeue } from './kb-document-requeue.port';
import { kbArchived } from './kb-writable';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '@strata/audit';
import {
  BadRequest,
  Conflict,
  ErrorCode,
  Forbidden,
  IdOrSlug,
  isUuid,
  knowledgeBaseNotFound,
  newId,
  Page,
  slugify,
  toPage,
} from '@strata/core';
import { isUniqueViolation, JobQueue, schedulePurge, TenantScopedRepository } from '@strata/storage';
import {
  KnowledgeBaseLookup,
  KnowledgeBaseSummary,
  MembershipsRepository,
  TenantContext,
  TenantScope,
} from '@strata/tenancy';
import {
  CreateKnowledgeBaseDto,
  KnowledgeBaseResponse,
  UpdateKnowledgeBaseDto,
} from './dto/knowledge-base.dto';
import { KnowledgeBase, KnowledgeBaseStatus } from './entities/knowledge-base.entity';
import { countTenantKnowledgeBases } from './knowledge-base.repository';
import { kbConfigProblems, mergeKbConfig } from './kb-config';

const slugTaken = () =>
  new Conflict(ErrorCode.KB_SLUG_TAKEN, 'A knowledge base with this slug already exists in the tenant');

/** Knowledge bases of a tenant. Callers pass the scope from the request's TenantContext. */
@Injectable()
export class KnowledgeBasesService extends KnowledgeBaseLookup {
  private readonly kbs: TenantScopedRepository<KnowledgeBase>;

  constructor(
    @InjectRepository(KnowledgeBase) repository: Repository<KnowledgeBase>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly memberships: MembershipsRepository,
    private readonly audit: AuditService,
    private readonly queue: JobQueue,
    private readonly documents: KbDocumentRequeue,
  ) {
    super();
    this.kbs = new TenantScopedRepository(repository);
  }

  findKnowledgeBase(scope: TenantScope, ref: IdOrSlug): Promise<KnowledgeBaseSummary | null> {
    return this.kbs.findOne(scope, 'id' in ref ? { id: ref.id } : { slug: ref.slug });
  }

  /** Creates a KB; an editor with a KB assignment gets the new KB added to it. */
  async create(context: TenantContext, dto: CreateKnowledgeBaseDto): Promise<KnowledgeBaseResponse> {
    const scope = context.scope();
    const slug = dto.slug ?? slugify(dto.name);
    if (isUuid(slug))
      throw new BadRequest(ErrorCode.VALIDATION_FAILED, 'slug must not have the form of a uuid');
    const config = mergeKbConfig(null, dto.config);
    this.assertConfigValid(config);

    // Quotas were read with the tenant at resolution, this request.
    const limit = context.quotas.max_knowledge_bases;
    if ((await countTenantKnowledgeBases(this.dataSource, scope)) >= limit) {
      throw new Forbidden(
        ErrorCode.QUOTA_KNOWLEDGE_BASES_EXCEEDED,
        `The tenant's quota of ${limit} knowledge bases is reached`,
      );
    }
    try {
      const kb = await this.dataSource.transaction(async (manager) => {
        const saved = await this.kbs.withManager(manager).insert(scope, {
          id: newId(),
          slug,
          name: dto.name,
          description: dto.description ?? null,
          status: 'active',
          config,
          metadata: dto.metadata ?? {},
          documentCount: 0,
        } as Omit<KnowledgeBase, 'tenantId'>);
        if (context.principal.type === 'user')
          await this.memberships.grantKnowledgeBase(scope, context.principal.id, saved.id, manager);
        await this.recordChange(manager, 'knowledge_base.create', saved.id, { slug: saved.slug });
        return saved;
      });
      return KnowledgeBaseResponse.from(kb);
    } catch (error) {
      if (isUniqueViolation(error)) throw slugTaken();
      throw error;
    }
  }

  /** The KBs of the tenant the context may see, in creation order. */
  async list(
    context: TenantContext,
    filter: { status?: KnowledgeBaseStatus },
    afterId: string | null,
    limit: number,
  ): Promise<Page<KnowledgeBaseResponse>> {
    if (context.kbIds !== null && context.kbIds.length === 0) return { items: [], next_cursor: null };
    const where = {
      ...(filter.status ? { status: filter.status } : {}),
      ...(context.kbIds !== null ? { id: In([...context.kbIds]) } : {}),
    };
    const rows = await this.kbs.page(context.scope(), where, afterId, limit + 1);
    return toPage(rows, limit, KnowledgeBaseResponse.from);
  }

  /**
   * The KB `ref` names in the context's tenant, when the caller's KB assignment includes it; null
   * otherwise, exactly as when it does not exist (for routes that name a KB outside the path).
   */
  async findVisible(context: TenantContext, ref: IdOrSlug): Promise<KnowledgeBaseResponse | null> {
    const kb = await this.kbs.findOne(context.scope(), 'id' in ref ? { id: ref.id } : { slug: ref.slug });
    return kb !== null && context.canSeeKnowledgeBase(kb.id) ? KnowledgeBaseResponse.from(kb) : null;
  }

  async get(context: TenantContext): Promise<KnowledgeBaseResponse> {
    return KnowledgeBaseResponse.from(await this.load(context));
  }

  /** An archived KB is read-only: the only change it accepts is being made active again. */
  async update(context: TenantContext, dto: UpdateKnowledgeBaseDto): Promise<KnowledgeBaseResponse> {
    const kb = await this.load(context);
    const onlyStatus = Object.keys(dto).every((key) => key === 'status');
    if (kb.status === 'archived' && !(onlyStatus && dto.status === 'active')) {
      throw kbArchived();
    }
    if (dto.name !== undefined) kb.name = dto.name;
    if (dto.description !== undefined) kb.description = dto.description;
    if (dto.status !== undefined) kb.status = dto.status;
    if (dto.metadata !== undefined) kb.metadata = dto.metadata;
    let modelChanged = false;
    if (dto.config !== undefined) {
      const before = mergeKbConfig(kb.config);
      const config = mergeKbConfig(kb.config, dto.config);
      modelChanged =
        dto.config.embedding?.model !== undefined && config.embedding.model !== before.embedding.model;
      // A new model means new vectors: the dimension is learnt again and every document re-embedded.
      if (modelChanged) config.embedding.dimension = null;
      this.assertConfigValid(config);
      kb.config = config;
    }
    const { saved, requeued } = await this.dataSource.transaction(async (manager) => {
      const row = await this.kbs.withManager(manager).save(context.scope(), kb);
      const jobs = modelChanged ? await this.documents.requeueAll(manager, context.kbScope()) : [];
      await this.recordChange(manager, 'knowledge_base.update', kb.id, {
        changed: Object.keys(dto),
        ...(modelChanged ? { reindexed_documents: jobs.length } : {}),
      });
      return { saved: row, requeued: jobs };
    });
    for (const job of requeued) await this.queue.enqueue(job);
    return KnowledgeBaseResponse.from(saved);
  }

  /**
   * Deletes the KB with its documents and chunks (by cascade), drops it from members'
   * assignments, and queues the purge of its vectors and blobs.
   */
  async delete(context: TenantContext): Promise<void> {
    const scope = context.scope();
    const kbId = context.kbScope().kbId;
    const purge = await this.dataSource.transaction(async (manager) => {
      await this.kbs.withManager(manager).delete(scope, { id: kbId });
      await this.memberships.forgetKnowledgeBase(scope, kbId, manager);
      await this.recordChange(manager, 'knowledge_base.delete', kbId, {});
      return schedulePurge(manager, scope, kbId);
    });
    await this.queue.enqueue(purge);
  }

  private recordChange(
    manager: EntityManager,
    action: string,
    kbId: string,
    details: Record<string, unknown>,
  ) {
    return this.audit.record(
      { action, outcome: 'success', kbId, resourceType: 'knowledge_base', resourceId: kbId, details },
      manager,
    );
  }

  private async load(context: TenantContext): Promise<KnowledgeBase> {
    const kb = await this.kbs.findOne(context.scope(), { id: context.kbScope().kbId });
    // Deleted by a concurrent request since tenant resolution found it.
    if (kb === null) throw knowledgeBaseNotFound();
    return kb;
  }

  private assertConfigValid(config: ReturnType<typeof mergeKbConfig>): void {
    const problems = kbConfigProblems(config);
    if (problems.length > 0) throw new BadRequest(ErrorCode.VALIDATION_FAILED, problems.join('; '));
  }
}
