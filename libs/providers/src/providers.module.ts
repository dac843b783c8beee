import { Module } from '@nestjs/common';
import { ProviderCheck } from './check/provider-check';
import { EmbedderFactory } from './embedding/embedder-factory';
import { ProviderEgress } from './http/provider-egress';
import { ChatModelFactory } from './llm/chat-model-factory';
import { RerankerFactory } from './rerank/reranker-factory';

/** Model providers: embeddings, chat (LLM) and rerank, each built per call from its layers. */
@Module({
  providers: [ProviderEgress, EmbedderFactory, ChatModelFactory, RerankerFactory, ProviderCheck],
  exports: [ProviderEgress, EmbedderFactory, ChatModelFactory, RerankerFactory, ProviderCheck],
})
export class ProvidersModule {}
