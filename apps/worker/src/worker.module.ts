import { DynamicModule, Module } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import { AppConfig, ConfigModule, LoggerModule } from '@strata/core';
import { DatabaseModule } from '@strata/storage';
import { TenancyModule } from '@strata/tenancy';

/**
 * The queue consumer: the same libraries as the API, no HTTP. Job handlers (ingestion, deletion,
 * purge) register here as the pipeline issues land; until then it only prepares the schema.
 */
@Module({})
export class WorkerModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule,
        ClsModule.forRoot({ global: true }),
        DatabaseModule,
        TenancyModule,
      ],
    };
  }
}
