import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ClsModule } from 'nestjs-cls';
import { AdminBootstrapService, AuthModule, JwtAuthGuard } from '@strata/auth';
import { PoliciesGuard } from '@strata/authz';
import { AppConfig, ConfigModule, ErrorFilter, LoggerModule, RequestWithId } from '@strata/core';
import { TenantDirectoryModule } from '@strata/directory';
import { HealthModule } from '@strata/health';
import { KnowledgeBasesModule } from '@strata/knowledge-bases';
import { RateLimitsModule, storageModules } from '@strata/storage';
import { DocumentsModule, DocumentPortsModule } from '@strata/documents';
import { DeletionReceiptsModule, IngestionModule } from '@strata/ingestion';
import { GraphApiModule } from '@strata/graph';
import { QueryModule } from '@strata/query';
import { CompatModule } from '@strata/compat';
import {
  ConversationPortsModule,
  ConversationRetentionModule,
  ConversationsModule,
} from '@strata/conversations';
import {
  AccessCatchUpInterceptor,
  PathParamsGuard,
  REQUEST_INFO_KEY,
  TenancyModule,
  TenantResolutionGuard,
} from '@strata/tenancy';
import { AuditHttpModule, AuditModule, AuditRouteGuard } from '@strata/audit';
import type { Request } from 'express';
import { TenantRateLimitGuard, TenantsModule, ThrottledTenantGuard } from '@strata/tenants';

/** Every module of the HTTP application: storage, tenancy, the domain modules, health. */
export function applicationModules(config: AppConfig): DynamicModule['imports'] {
  return [
    ConfigModule.forRoot(config),
    LoggerModule,
    ClsModule.forRoot({
      global: true,
      middleware: {
        mount: true,
        generateId: true,
        idGenerator: (req) => (req as RequestWithId).id ?? '',
        setup: (cls, req: Request) =>
          cls.set(REQUEST_INFO_KEY, {
            ip: req.ip ?? null,
            userAgent: req.header('user-agent')?.slice(0, 512) ?? null,
          }),
      },
    }),
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
    DocumentsModule,
    // Embedded storage has one owner process: the API runs the jobs there, whatever the setting.
    IngestionModule.forRoot({ consume: config.embedded || config.ingestion.runJobsInApi }),
    DeletionReceiptsModule,
    QueryModule,
    ConversationsModule,
    ConversationRetentionModule.forRoot({ enforce: config.embedded || config.ingestion.runJobsInApi }),
    CompatModule,
    GraphApiModule,
    AuditHttpModule,
    HealthModule,
  ];
}

/**
 * The HTTP application. Guards run in the order of DESIGN.md section 2, with one addition:
 * ThrottledTenantGuard, before tenant resolution, refuses at once a tenant already over its limit.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: applicationModules(config),
      providers: [
        AdminBootstrapService,
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_GUARD, useExisting: AuditRouteGuard },
        { provide: APP_GUARD, useClass: PathParamsGuard },
        { provide: APP_GUARD, useExisting: JwtAuthGuard },
        { provide: APP_GUARD, useClass: ThrottledTenantGuard },
        { provide: APP_GUARD, useClass: TenantResolutionGuard },
        { provide: APP_GUARD, useClass: PoliciesGuard },
        { provide: APP_GUARD, useClass: TenantRateLimitGuard },
        { provide: APP_INTERCEPTOR, useExisting: AccessCatchUpInterceptor },
      ],
    };
  }
}
