import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '@strata/audit';
import {
  AppConfig,
  BadRequest,
  Conflict,
  ErrorCode,
  newId,
  NotFound,
  openSecret,
  parseIdOrSlug,
  sealSecret,
} from '@strata/core';
import { isUniqueViolation } from '@strata/storage';
import {
  grantablePermissions,
  KnowledgeBaseLookup,
  MembershipsRepository,
  resolveKnowledgeBaseRefs,
  SsoGroupGrants,
  TenantContext,
  TenantLookup,
  type TenantScope,
} from '@strata/tenancy';
import type { LdapSettings } from '../ldap/ldap-directory';
import type {
  CreateIdentityProviderDto,
  LdapSettingsDto,
  MembershipRuleDto,
  UpdateIdentityProviderDto,
} from './dto/identity-provider.dto';
import {
  IdentityProvider,
  type IdentityProviderKind,
  type StoredLdapSettings,
} from './identity-provider.entity';
import type { MembershipRule } from './membership-rules';

const DEFAULT_SCOPES = ['openid', 'email', 'profile'];

export const identityProviderNotFound = () =>
  new NotFound(ErrorCode.IDENTITY_PROVIDER_NOT_FOUND, 'Identity provider not found');

/**
 * The identity providers a platform admin configures: their client secrets sealed with the
 * master key (bound to the provider's id), their rules checked against the tenants and KBs they
 * name. Changes are audited on the platform chain.
 */
@Injectable()
export class IdentityProvidersService {
  constructor(
    @InjectRepository(IdentityProvider) private readonly providers: Repository<IdentityProvider>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly tenants: TenantLookup,
    private readonly knowledgeBases: KnowledgeBaseLookup,
    private readonly memberships: MembershipsRepository,
    private readonly audit: AuditService,
    private readonly groups: SsoGroupGrants,
  ) {}

  list(): Promise<IdentityProvider[]> {
    return this.providers.find({ order: { slug: 'ASC' } });
  }

  /** Those people can sign in through now, for the sign-in page. */
  listEnabled(): Promise<IdentityProvider[]> {
    return this.providers.find({ where: { enabled: true }, order: { displayName: 'ASC' } });
  }

  async get(id: string): Promise<IdentityProvider> {
    const provider = await this.providers.findOne({ where: { id } });
    if (provider === null) throw identityProviderNotFound();
    return provider;
  }

  /** An enabled provider of this kind by slug; any other is IDENTITY_PROVIDER_NOT_FOUND. */
  async findEnabled(slug: string, kind: IdentityProviderKind): Promise<IdentityProvider> {
    const provider = await this.providers.findOne({
      where: { slug: slug.toLowerCase(), kind, enabled: true },
    });
    if (provider === null) throw identityProviderNotFound();
    return provider;
  }

  clientSecretOf(provider: IdentityProvider): string {
    return this.open(provider, provider.clientSecretSealed!);
  }

  /** An LDAP provider's settings, the search account's password opened. */
  ldapSettingsOf(provider: IdentityProvider): LdapSettings {
    const { bindPasswordSealed, ...settings } = provider.ldap!;
    return {
      ...settings,
      bindPassword: bindPasswordSealed === null ? null : this.open(provider, bindPasswordSealed),
    };
  }

  async create(dto: CreateIdentityProviderDto): Promise<IdentityProvider> {
    const id = newId();
    const kind = dto.kind ?? 'oidc';
    checkFieldsOfKind(kind, dto);
    const provider = this.providers.create({
      id,
      slug: dto.slug,
      kind,
      displayName: dto.display_name,
      issuer: kind === 'oidc' ? this.checkedIssuer(dto.issuer!) : null,
      clientId: kind === 'oidc' ? dto.client_id! : null,
      clientSecretSealed: kind === 'oidc' ? this.seal(id, dto.client_secret!) : null,
      ldap: kind === 'ldap' ? this.storedLdap(id, dto.ldap!, null) : null,
      scopes: kind === 'oidc' ? withOpenId(dto.scopes ?? DEFAULT_SCOPES) : [],
      groupsClaim: kind === 'oidc' ? (dto.groups_claim ?? 'groups') : 'groups',
      linkVerifiedEmail: dto.link_verified_email ?? false,
      enabled: dto.enabled ?? true,
      mappings: await this.checkedRules(dto.slug, dto.mappings ?? []),
    });
    return this.write(provider, 'identity_provider.create', { slug: provider.slug, kind });
  }

  async update(id: string, dto: UpdateIdentityProviderDto): Promise<IdentityProvider> {
    const provider = await this.get(id);
    if (dto.kind !== undefined && dto.kind !== provider.kind) {
      throw new BadRequest(ErrorCode.VALIDATION_FAILED, 'kind cannot change: add another provider');
    }
    checkFieldsOfKind(provider.kind, dto);
    const secrets = ['client_secret', 'bind_password'];
    const changed = Object.keys(dto).filter((key) => !secrets.includes(key));
    if (dto.slug !== undefined) provider.slug = dto.slug;
    if (dto.display_name !== undefined) provider.displayName = dto.display_name;
    if (dto.issuer !== undefined) provider.issuer = this.checkedIssuer(dto.issuer);
    if (dto.client_id !== undefined) provider.clientId = dto.client_id;
    if (dto.client_secret !== undefined) provider.clientSecretSealed = this.seal(id, dto.client_secret);
    if (dto.ldap !== undefined) provider.ldap = this.storedLdap(id, dto.ldap, provider.ldap);
    if (dto.scopes !== undefined) provider.scopes = withOpenId(dto.scopes);
    if (dto.groups_claim !== undefined) provider.groupsClaim = dto.groups_claim;
    if (dto.link_verified_email !== undefined) provider.linkVerifiedEmail = dto.link_verified_email;
    if (dto.enabled !== undefined) provider.enabled = dto.enabled;
    if (dto.mappings !== undefined) provider.mappings = await this.checkedRules(provider.slug, dto.mappings);
    return this.write(provider, 'identity_provider.update', {
      changed,
      ...(dto.client_secret !== undefined ? { client_secret_replaced: true } : {}),
      ...(dto.ldap?.bind_password !== undefined ? { bind_password_replaced: true } : {}),
    });
  }

  /**
   * Removes the provider, the links of accounts to it and the memberships its rules granted:
   * people who signed in through it lose that access at once. Their accounts stay.
   */
  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const provider = await manager.getRepository(IdentityProvider).findOne({ where: { id } });
      if (provider === null) throw identityProviderNotFound();
      const removed = await this.memberships.removeGrantedBy(id, manager);
      await manager.getRepository(IdentityProvider).delete({ id });
      await this.audit.recordMany(
        [
          {
            action: 'identity_provider.delete',
            outcome: 'success',
            tenantId: null,
            resourceType: 'identity_provider',
            resourceId: id,
            details: { slug: provider.slug, memberships_removed: removed.length },
          },
          ...removed.map((grant) => ({
            action: 'member.sso_remove',
            outcome: 'success' as const,
            tenantId: grant.tenantId,
            resourceType: 'member',
            resourceId: grant.userId,
            details: { provider: provider.slug, role: grant.role, provider_deleted: true },
          })),
        ],
        manager,
      );
    });
  }

  private seal(providerId: string, secret: string): string {
    return sealSecret(secret, this.config.masterKey!, secretContext(providerId));
  }

  private open(provider: IdentityProvider, sealed: string): string {
    return openSecret(sealed, this.config.masterKey!, secretContext(provider.id));
  }

  /** The settings to store; without a new bind_password the earlier sealed one is kept. */
  private storedLdap(
    providerId: string,
    dto: LdapSettingsDto,
    earlier: StoredLdapSettings | null,
  ): StoredLdapSettings {
    return {
      url: dto.url,
      startTls: dto.start_tls ?? false,
      tlsCaPem: dto.tls_ca_pem ?? null,
      bindDn: dto.bind_dn ?? null,
      bindPasswordSealed:
        dto.bind_password !== undefined
          ? this.seal(providerId, dto.bind_password)
          : (earlier?.bindPasswordSealed ?? null),
      userBase: dto.user_base,
      userFilter: dto.user_filter ?? '(&(objectClass=inetOrgPerson)(uid={username}))',
      subjectAttribute: dto.subject_attribute ?? 'entryUUID',
      emailAttribute: dto.email_attribute ?? 'mail',
      groupBase: dto.group_base ?? null,
      groupFilter: dto.group_filter ?? '(&(objectClass=groupOfNames)(member={dn}))',
      groupNameAttribute: dto.group_name_attribute ?? 'cn',
      timeoutMs: dto.timeout_ms ?? 10_000,
    };
  }

  private async write(
    provider: IdentityProvider,
    action: string,
    details: Record<string, unknown>,
  ): Promise<IdentityProvider> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const saved = await manager.getRepository(IdentityProvider).save(provider);
        await this.audit.record(
          {
            action,
            outcome: 'success',
            tenantId: null,
            resourceType: 'identity_provider',
            resourceId: saved.id,
            details,
          },
          manager,
        );
        return saved;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new Conflict(
          ErrorCode.IDENTITY_PROVIDER_SLUG_TAKEN,
          `an identity provider with the slug ${provider.slug} exists`,
        );
      }
      throw error;
    }
  }

  private checkedIssuer(raw: string): string {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new BadRequest(ErrorCode.VALIDATION_FAILED, 'issuer must be a URL');
    }
    const allowed = this.config.oidcAllowHttp ? ['https:', 'http:'] : ['https:'];
    if (!allowed.includes(url.protocol)) {
      throw new BadRequest(
        ErrorCode.VALIDATION_FAILED,
        this.config.oidcAllowHttp
          ? 'issuer must be http or https'
          : 'issuer must be https (OIDC_ALLOW_HTTP allows http)',
      );
    }
    if (url.search !== '' || url.hash !== '') {
      throw new BadRequest(ErrorCode.VALIDATION_FAILED, 'issuer has no query or fragment');
    }
    return raw;
  }

  /** Rules with their tenants and KBs resolved to ids; an unknown one is a 400. */
  private async checkedRules(slug: string, rules: MembershipRuleDto[]): Promise<MembershipRule[]> {
    const checked: MembershipRule[] = [];
    for (const rule of rules) {
      const ref = parseIdOrSlug(rule.tenant_id);
      const tenant = ref && (await this.tenants.findTenant(ref));
      if (!tenant || tenant.status === 'deleting') {
        throw new BadRequest(ErrorCode.UNKNOWN_TENANT, `tenant ${rule.tenant_id} does not exist`);
      }
      grantablePermissions(rule.role, rule.permissions);
      const scope = TenantContext.forSsoGrant({
        tenantId: tenant.id,
        providerSlug: slug,
        requestId: 'identity-provider-rules',
      }).scope();
      checked.push({
        claim_value: rule.claim_value,
        tenant_id: tenant.id,
        role: rule.role,
        knowledge_base_ids: await resolveKnowledgeBaseRefs(
          this.knowledgeBases,
          scope,
          rule.knowledge_base_ids,
        ),
        ...(rule.permissions ? { permissions: { ...rule.permissions } } : {}),
        ...(rule.group_ids?.length ? { group_ids: await this.checkedGroups(scope, rule.group_ids) } : {}),
      });
    }
    return checked;
  }

  /** A rule's groups, each once and lower case; one that is not a group of its tenant is a 400. */
  private async checkedGroups(scope: TenantScope, ids: readonly string[]): Promise<string[]> {
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
    const existing = await this.groups.existing(scope, wanted);
    const unknown = wanted.find((id) => !existing.has(id));
    if (unknown !== undefined) {
      throw new BadRequest(ErrorCode.UNKNOWN_GROUP, `group ${unknown} is not a group of the rule's tenant`);
    }
    return wanted;
  }
}

const secretContext = (providerId: string) => `identity_provider:${providerId}`;

const OIDC_FIELDS = ['issuer', 'client_id', 'client_secret', 'scopes', 'groups_claim'] as const;

/** Each kind takes its own settings only: naming another kind's is a mistake worth saying. */
function checkFieldsOfKind(kind: IdentityProviderKind, dto: UpdateIdentityProviderDto): void {
  const foreign =
    kind === 'ldap'
      ? OIDC_FIELDS.filter((field) => dto[field] !== undefined)
      : dto.ldap !== undefined
        ? ['ldap']
        : [];
  if (foreign.length > 0) {
    throw new BadRequest(
      ErrorCode.VALIDATION_FAILED,
      `${foreign.join(', ')}: not settings of a ${kind} provider`,
    );
  }
}

function withOpenId(scopes: readonly string[]): string[] {
  return [...new Set(['openid', ...scopes])];
}
