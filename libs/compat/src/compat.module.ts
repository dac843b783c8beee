import { Module } from '@nestjs/common';
import { AuditHttpModule } from '@strata/audit';
import { DocumentsModule } from '@strata/documents';
import { GraphApiModule } from '@strata/graph';
import { KnowledgeBasesModule } from '@strata/knowledge-bases';
import { QueryModule } from '@strata/query';
import { KnowledgeBaseModels } from './models/knowledge-base-models';
import { LightRagDocumentsController } from './lightrag/lightrag-documents.controller';
import { LightRagGraphController } from './lightrag/lightrag-graph.controller';
import { LightRagGraphEditController } from './lightrag/lightrag-graph-edit.controller';
import { LightRagHealthController } from './lightrag/lightrag-health.controller';
import { LightRagQueryController } from './lightrag/lightrag-query.controller';
import { OllamaController } from './ollama/ollama.controller';
import { OpenAiController } from './openai/openai.controller';

/** The APIs other tools already speak (OpenAI's chat completions, Ollama's, LightRAG's), over Strata's KBs and rules. */
@Module({
  // AuditHttpModule: the error filter records refusals through its ErrorObserver, like the global one.
  imports: [AuditHttpModule, DocumentsModule, GraphApiModule, KnowledgeBasesModule, QueryModule],
  controllers: [
    OpenAiController,
    OllamaController,
    LightRagQueryController,
    LightRagGraphController,
    LightRagGraphEditController,
    LightRagDocumentsController,
    LightRagHealthController,
  ],
  providers: [KnowledgeBaseModels],
})
export class CompatModule {}
