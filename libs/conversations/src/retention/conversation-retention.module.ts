import { DynamicModule, Module } from '@nestjs/common';
import { ConversationRetentionJob, ENFORCE_CONVERSATION_RETENTION } from './conversation-retention.job';

/**
 * The retention job, apart from the conversation routes: the worker runs it without them, and
 * the API only where it runs jobs (the embedded default, or RUN_JOBS_IN_API).
 */
@Module({})
export class ConversationRetentionModule {
  static forRoot(options: { enforce: boolean }): DynamicModule {
    return {
      module: ConversationRetentionModule,
      providers: [
        { provide: ENFORCE_CONVERSATION_RETENTION, useValue: options.enforce },
        ConversationRetentionJob,
      ],
      exports: [ConversationRetentionJob],
    };
  }
}
