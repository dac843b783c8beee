import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@strata/audit';
import { AppConfig, DomainError, ErrorCode, openSecret, sealSecret, tenantNotFound } from '@strata/core';
import { type CheckableProvider, ProviderCheck, type ProviderCheckResult } from '@strata/providers';
import type { TenantScope } from '@strata/tenancy';
import { Tenant } from '../entities/tenant.entity';
import { ProviderSettingsDto, TenantConfigResponse, UpdateTenantConfigDto } from './dto/tenant-config.dto';
import {
  DEFAULT_PROVIDER_FALLBACKS,
  type MemberSettings,
  memberSettings,
  type PriceSettings,
  priceSettings,
  PrivacySettings,
  type ProviderFallbacks,
  PROVIDER_SECTIONS,
  ProviderSection,
  ProviderSettings,
  StoredTenantConfig,
} from './tenant-config';

/** What `TenantConfigService.settings` answers. */
export interface TenantSettings {
  /** A provider section with its API key opened. */
  provider(section: ProviderSection): ProviderSettings;
  privacy: Required<PrivacySettings>;
  members: Required<MemberSettings>;
  onProviderFailure: ProviderFallbacks;
}

/** A tenant's provider settings, privacy switches and fallbacks; provider API keys are sealed at rest. */
@Injectable()
export class TenantConfigService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly providerCheck: ProviderCheck,
  ) {}

  async get(scope: TenantScope): Promise<TenantConfigResponse> {
    return TenantConfigResponse.from(await this.load(scope));
  }

  /** Applies a patch: per field, a value sets, null clears, absence keeps. */
  async update(scope: TenantScope, dto: UpdateTenantConfigDto): Promise<TenantConfigResponse> {
    const saved = await this.dataSource.transaction(async (manager) => {
      const tenant = await manager
        .getRepository(Tenant)
        .findOne({ where: { id: scope.tenantId }, lock: { mode: 'pessimistic_write' } });
      if (tenant === null) throw tenantNotFound();
      const stored = { ...((tenant.config ?? {}) as StoredTenantConfig) };
      const secretsChanged: string[] = [];
      for (const section of PROVIDER_SECTIONS) {
        const patch = dto[section];
        if (patch === undefined) continue;
        if (patch === null) {
          // The whole section goes: the tenant falls back to the deployment's provider.
          if (typeof stored[section]?.api_key === 'string') secretsChanged.push(`${section}.api_key cleared`);
          delete stored[section];
          continue;
        }
        if (typeof patch.base_url === 'string') this.checkEgress(section, patch.base_url);
        stored[section] = this.applyProviderPatch(scope, stored[section] ?? {}, patch);
        if (patch.api_key !== undefined)
          secretsChanged.push(`${section}.api_key ${patch.api_key === null ? 'cleared' : 'set'}`);
      }
      // null puts a section back to its defaults; a value changes the fields it names.
      if (dto.privacy === null) delete stored.privacy;
      else if (dto.privacy !== undefined) stored.privacy = { ...(stored.privacy ?? {}), ...dto.privacy };
      if (dto.members === null) delete stored.members;
      else if (dto.members !== undefined) stored.members = { ...(stored.members ?? {}), ...dto.members };
      if (dto.prices === null) delete stored.prices;
      else if (dto.prices !== undefined) stored.prices = { ...(stored.prices ?? {}), ...dto.prices };
      if (dto.conversations === null) delete stored.conversations;
      else if (dto.conversations !== undefined)
        stored.conversations = { ...(stored.conversations ?? {}), ...dto.conversations };
      if (dto.on_provider_failure === null) delete stored.on_provider_failure;
      else if (dto.on_provider_failure !== undefined)
        stored.on_provider_failure = { ...(stored.on_provider_failure ?? {}), ...dto.on_provider_failure };
      tenant.config = stored as Record<string, unknown>;
      await manager.getRepository(Tenant).save(tenant);
      await this.audit.record(
        {
          action: 'tenant_config.update',
          outcome: 'success',
          resourceType: 'tenant_config',
          resourceId: scope.tenantId,
          // Names what changed, never a value: settings may hold credentials.
          details: { sections: Object.keys(dto), secrets: secretsChanged },
        },
        manager,
      );
      return stored;
    });
    return TenantConfigResponse.from(saved);
  }

  /** One real call to a provider with the tenant's saved settings, its outcome audited. */
  async testProvider(scope: TenantScope, provider: CheckableProvider): Promise<ProviderCheckResult> {
    const settings = await this.settings(scope);
    const result = await this.providerCheck.check(provider, settings.provider(provider));
    await this.audit.record({
      action: 'tenant_config.test',
      outcome: result.ok ? 'success' : 'error',
      resourceType: 'tenant_config',
      resourceId: scope.tenantId,
      details: { provider, configured: result.configured, model: result.model, failure: result.failure },
    });
    return result;
  }

  /** The tenant's price table, for its usage report. */
  async prices(scope: TenantScope): Promise<Required<PriceSettings>> {
    return priceSettings(await this.load(scope));
  }

  /**
   * The tenant's provider settings (API keys opened on demand) and privacy switches, read once:
   * a caller needing several of them (a query: embedding, LLM, privacy) loads the tenant one time.
   */
  async settings(scope: TenantScope): Promise<TenantSettings> {
    const stored = await this.load(scope);
    const masterKey = this.masterKey();
    return {
      provider: (section) => {
        const settings = stored[section] ?? {};
        return {
          ...settings,
          api_key:
            typeof settings.api_key === 'string'
              ? openSecret(settings.api_key, masterKey, scope.tenantId)
              : null,
        };
      },
      privacy: { store_query_text: stored.privacy?.store_query_text ?? false },
      members: memberSettings(stored),
      onProviderFailure: { ...DEFAULT_PROVIDER_FALLBACKS, ...stored.on_provider_failure },
    };
  }

  private applyProviderPatch(
    scope: TenantScope,
    current: ProviderSettings,
    patch: ProviderSettingsDto,
  ): ProviderSettings {
    const next: ProviderSettings = { ...current };
    for (const [field, value] of Object.entries(patch) as [keyof ProviderSettings, unknown][]) {
      if (value === undefined) continue;
      if (value === null) delete next[field];
      else if (field === 'api_key')
        next.api_key = sealSecret(String(value), this.masterKey(), scope.tenantId);
      else (next as Record<string, unknown>)[field] = value;
    }
    return next;
  }

  /**
   * Refuses a base URL the egress policy certainly refuses (an address, or a name no entry allows);
   * names are checked again on their addresses at every call. The operator's own URL is exempt.
   */
  private checkEgress(section: ProviderSection, baseUrl: string): void {
    if (baseUrl === this.config[section].baseUrl) return;
    const refusal = this.config.providerEgress.refusalOf(baseUrl);
    if (refusal === null) return;
    throw new DomainError(
      400,
      ErrorCode.PROVIDER_HOST_NOT_ALLOWED,
      `${section}.base_url is not allowed by this deployment's egress policy (PROVIDER_ALLOWED_HOSTS): ${refusal}`,
    );
  }

  private masterKey(): Buffer {
    return this.config.masterKey!;
  }

  private async load(scope: TenantScope): Promise<StoredTenantConfig> {
    const tenant = await this.dataSource.getRepository(Tenant).findOne({ where: { id: scope.tenantId } });
    if (tenant === null) throw tenantNotFound();
    return (tenant.config ?? {}) as StoredTenantConfig;
  }
}
