import { Module } from '@nestjs/common';
import { ProvidersModule } from '@strata/providers';
import { ThrottledTenants } from './quotas/throttled-tenants';
import { TenantConfigService } from './config/tenant-config.service';
import { UsageDailyRepository } from './usage/usage-daily.repository';
import { UsageService } from './usage/usage.service';
import { TokenMeter } from './usage/token-meter';
import { TokenQuotas } from './usage/token-quotas';

const SETTINGS = [
  TenantConfigService,
  UsageService,
  UsageDailyRepository,
  ThrottledTenants,
  TokenMeter,
  TokenQuotas,
];

/**
 * A tenant's provider settings, usage counters, token meter and token quotas, without the HTTP
 * surface (the worker uses it).
 */
@Module({
  imports: [ProvidersModule],
  providers: [...SETTINGS],
  exports: [...SETTINGS],
})
export class TenantSettingsModule {}
