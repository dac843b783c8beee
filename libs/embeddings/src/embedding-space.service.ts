import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Embedder, EmbedderFactory, LEXICAL_MODEL } from '@strata/providers';
import { claimKbEmbeddingSpace } from '@strata/knowledge-bases';
import type { VectorSpace } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import { TenantConfigService, type TenantSettings, TokenMeter } from '@strata/tenants';

/** The KB's embedding model and dimension differ from the embedder's. */
export class EmbeddingModelMismatch extends Error {
  constructor(recorded: VectorSpace, configured: VectorSpace) {
    super(
      `this knowledge base holds vectors of ${recorded.model} (${recorded.dimension} dimensions) but the ` +
        `embedder answered with ${configured.model} (${configured.dimension} dimensions); reindex the ` +
        `knowledge base (POST …/documents/reindex) to rebuild its vectors`,
    );
    this.name = 'EmbeddingModelMismatch';
  }
}

/**
 * Which embedder a KB uses and which vector space its vectors are in. The KB's `embedding.model`
 * (set by its admin, or recorded from the tenant's default by the first document embedded) picks
 * the model; the first vectors record the dimension; later ones must match. Changing the KB's
 * model, or reindexing the KB, clears the dimension and re-embeds every document.
 */
@Injectable()
export class EmbeddingSpaceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly embedders: EmbedderFactory,
    private readonly tenantConfig: TenantConfigService,
    private readonly meter: TokenMeter,
  ) {}

  /**
   * The KB's embedder: the tenant's endpoint (over the environment's) with the KB's own model when
   * it has one. A KB keeps the model it was built with when the tenant's default changes. Pass the
   * tenant's settings when they are already loaded. A provider's embedder counts its tokens as the
   * KB's (the embedded one costs nothing and is not counted).
   */
  async embedderFor(scope: KbScope, kbModel: string | null, tenant?: TenantSettings): Promise<Embedder> {
    const settings = tenant ?? (await this.tenantConfig.settings(scope));
    const embedder = this.embedders.create(
      settings.provider('embedding'),
      kbModel ? { model: kbModel } : null,
    );
    return embedder.model === LEXICAL_MODEL ? embedder : this.meter.embedder(scope, embedder);
  }

  /** Records the space on the KB if it has none yet; throws when it has another. */
  async claim(scope: KbScope, configured: VectorSpace): Promise<VectorSpace> {
    const recorded = await claimKbEmbeddingSpace(
      this.dataSource,
      scope,
      configured.model,
      configured.dimension,
    );
    if (!recorded) throw new Error('knowledge base not found');
    if (recorded.model !== configured.model || recorded.dimension !== configured.dimension) {
      throw new EmbeddingModelMismatch(
        { model: recorded.model ?? '?', dimension: recorded.dimension ?? 0 },
        configured,
      );
    }
    return configured;
  }
}
