import { Module } from '@nestjs/common';
import { ProvidersModule } from '@strata/providers';
import { ThrottledTenants } from './quotas/throttled-tenants';
import { TenantConfigService } from './config/tenant-config.service';
import { UsageDailyRepository } from './usage/usage-daily.repository';
import { UsageService } from './usage/usage.service';

/** A tenant's provider settings and usage counters, without the HTTP surface (the worker uses it). */
@Module({
  imports: [ProvidersModule],
  providers: [TenantConfigService, UsageService, UsageDailyRepository, ThrottledTenants],
  exports: [TenantConfigService, UsageService, UsageDailyRepository, ThrottledTenants],
})
export class TenantSettingsModule {}
