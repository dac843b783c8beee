import { Module } from '@nestjs/common';
import { EmbeddingSpaceModule } from '@strata/embeddings';
import { VisibleGraph } from '@strata/graph';
import { ProvidersModule } from '@strata/providers';
import { ChunkTextSearch } from '@strata/storage';
import { TenantSettingsModule } from '@strata/tenants';
import { AcrossRetrieval } from './across/across-retrieval';
import { CrossKbQueryController } from './across/cross-kb-query.controller';
import { KnowledgeBaseSet } from './across/knowledge-base-set';
import { QueryController } from './query.controller';
import { QueryRecorder } from './query-recorder';
import { QueryService } from './query.service';
import { ChunkRetriever } from './retrieval/chunk-retriever';
import { GraphRetriever } from './retrieval/graph-retriever';
import { ModeRetrieval } from './retrieval/mode-retrieval';
import { QueryKeywordsService } from './retrieval/query-keywords.service';
import { QuestionEmbedder } from './retrieval/question-embedder';

/** The query route. Retrieval reads the stores ingestion wrote; the embedder comes from the same place. */
@Module({
  imports: [EmbeddingSpaceModule, ProvidersModule, TenantSettingsModule],
  controllers: [QueryController, CrossKbQueryController],
  providers: [
    QueryService,
    QueryRecorder,
    KnowledgeBaseSet,
    AcrossRetrieval,
    ModeRetrieval,
    ChunkRetriever,
    GraphRetriever,
    VisibleGraph,
    QueryKeywordsService,
    QuestionEmbedder,
    ChunkTextSearch,
  ],
  // The chat APIs of the compat library answer through the same service.
  exports: [QueryService, KnowledgeBaseSet],
})
export class QueryModule {}
