import { Module } from '@nestjs/common';
import { EmbedderFactory } from './embedding/embedder-factory';
import { ChatModelFactory } from './llm/chat-model-factory';
import { RerankerFactory } from './rerank/reranker-factory';

/** Model providers: embeddings, chat (LLM) and rerank, each built per call from its layers. */
@Module({
  providers: [EmbedderFactory, ChatModelFactory, RerankerFactory],
  exports: [EmbedderFactory, ChatModelFactory, RerankerFactory],
})
export class ProvidersModule {}
