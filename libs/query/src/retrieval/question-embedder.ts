import { Injectable } from '@nestjs/common';
import { EmbeddingSpaceService } from '@strata/embeddings';
import type { KnowledgeBaseConfig } from '@strata/knowledge-bases';
import { type EmbeddingVector, NoEmbeddingEndpoint, ProviderError } from '@strata/providers';
import type { VectorSpace } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import type { TenantSettings } from '@strata/tenants';

/** Embeds query text in a KB's recorded space, with the embedder its documents were embedded by. */
@Injectable()
export class QuestionEmbedder {
  constructor(private readonly spaces: EmbeddingSpaceService) {}

  /** The vector and its space; null before the KB's first vectors. Provider trouble is a ProviderError. */
  async embed(
    scope: KbScope,
    kb: KnowledgeBaseConfig,
    tenant: TenantSettings,
    text: string,
  ): Promise<{ vector: EmbeddingVector; space: VectorSpace } | null> {
    const { model, dimension } = kb.embedding;
    if (!model || !dimension) return null;
    try {
      const embedder = await this.spaces.embedderFor(scope, model, tenant);
      const [vector] = await embedder.embed([text]);
      return { vector, space: { model, dimension } };
    } catch (error) {
      if (error instanceof NoEmbeddingEndpoint) throw new ProviderError(error.message, 'rejected');
      throw error;
    }
  }
}
