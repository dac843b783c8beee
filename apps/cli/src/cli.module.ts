import { DynamicModule, Module } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import { AppConfig, ConfigModule } from '@strata/core';
import { AuditModule } from '@strata/audit';
import { DatabaseModule } from '@strata/storage';
import { TenancyModule } from '@strata/tenancy';

/** What admin commands need: configuration, the relational store (migrated on open), the audit trail. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        ClsModule.forRoot({ global: true }),
        DatabaseModule,
        TenancyModule,
        AuditModule,
      ],
    };
  }
}
