import { DynamicModule, Module } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import { AppConfig, ConfigModule, LoggerModule } from '@strata/core';
import { AuditModule } from '@strata/audit';
import { ConversationRetentionModule } from '@strata/conversations';
import { IngestionModule } from '@strata/ingestion';
import { storageModules } from '@strata/storage';
import { TenancyModule } from '@strata/tenancy';

/**
 * The queue consumer: the same libraries as the API, no HTTP; runs ingestion, deletion and purges,
 * and the conversation retention job.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule,
        ClsModule.forRoot({ global: true }),
        ...storageModules(config),
        TenancyModule,
        AuditModule,
        IngestionModule.forRoot({ consume: true }),
        ConversationRetentionModule.forRoot({ enforce: true }),
      ],
    };
  }
}
