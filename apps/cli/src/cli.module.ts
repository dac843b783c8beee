import { DynamicModule, Module } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import { AppConfig, ConfigModule } from '@strata/core';
import { AuditModule } from '@strata/audit';
import { AuthModule } from '@strata/auth';
import { TenantDirectoryModule } from '@strata/directory';
import { IngestionModule, LightragImportModule } from '@strata/ingestion';
import { DocumentPortsModule } from '@strata/documents';
import { ConversationPortsModule } from '@strata/conversations';
import { KnowledgeBasesModule } from '@strata/knowledge-bases';
import { RateLimitsModule, storageModules } from '@strata/storage';
import { TenancyModule } from '@strata/tenancy';
import { TenantsModule } from '@strata/tenants';

/**
 * What the operator's commands need: the stores (migrated on open), the audit trail and the
 * services that own tenants, KBs, users and keys, as the API composes them but without HTTP. It
 * takes no jobs: what a command queues (a purge, an import's pending documents) is run by the
 * worker, or by the embedded API when it next starts.
 */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        ClsModule.forRoot({ global: true }),
        ...storageModules(config),
        RateLimitsModule,
        TenancyModule,
        AuditModule,
        TenantDirectoryModule,
        AuthModule,
        TenantsModule,
        KnowledgeBasesModule,
        DocumentPortsModule,
        ConversationPortsModule,
        IngestionModule.forRoot({ consume: false }),
        LightragImportModule,
      ],
    };
  }
}
