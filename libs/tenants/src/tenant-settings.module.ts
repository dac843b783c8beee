import { Module } from '@nestjs/common';
import { ThrottledTenants } from './quotas/throttled-tenants';
import { TenantConfigService } from './config/tenant-config.service';
import { UsageService } from './usage/usage.service';

/** A tenant's provider settings and usage counters, without the HTTP surface (the worker uses it). */
@Module({
  providers: [TenantConfigService, UsageService, ThrottledTenants],
  exports: [TenantConfigService, UsageService, ThrottledTenants],
})
export class TenantSettingsModule {}
