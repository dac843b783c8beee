import { Module } from '@nestjs/common';
import { EmbedderFactory } from './embedding/embedder-factory';
import { ChatModelFactory } from './llm/chat-model-factory';

/** Model providers: embeddings and chat (LLM); rerank joins with the rest of the query issue. */
@Module({ providers: [EmbedderFactory, ChatModelFactory], exports: [EmbedderFactory, ChatModelFactory] })
export class ProvidersModule {}
