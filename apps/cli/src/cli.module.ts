import { DynamicModule, Module } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import { AppConfig, ConfigModule } from '@strata/core';
import { DatabaseModule } from '@strata/storage';

/** What admin commands need: configuration and the relational store (migrated on open). */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), ClsModule.forRoot({ global: true }), DatabaseModule],
    };
  }
}
