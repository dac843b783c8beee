import { Module } from '@nestjs/common';
import { AuditHttpModule } from '@strata/audit';
import { KnowledgeBasesModule } from '@strata/knowledge-bases';
import { QueryModule } from '@strata/query';
import { KnowledgeBaseModels } from './models/knowledge-base-models';
import { OpenAiController } from './openai/openai.controller';

/** The APIs other tools already speak (OpenAI's chat completions), over Strata's KBs and rules. */
@Module({
  // AuditHttpModule: the error filter records refusals through its ErrorObserver, like the global one.
  imports: [AuditHttpModule, KnowledgeBasesModule, QueryModule],
  controllers: [OpenAiController],
  providers: [KnowledgeBaseModels],
})
export class CompatModule {}
