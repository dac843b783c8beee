import { Global, Module } from '@nestjs/common';
import { KnowledgeBasesModule, KnowledgeBasesService } from '@strata/knowledge-bases';
import { GroupsForSso, TenantsModule, TenantsService } from '@strata/tenants';
import { KnowledgeBaseLookup, ResolutionLookup, SsoGroupGrants, TenantLookup } from '@strata/tenancy';
import { SqlResolutionLookup } from './sql-resolution.adapter';

/**
 * Binds the tenancy lookup ports to the services that own tenants and KBs. It lives in the
 * composition root because tenants/auth and KBs/members depend on each other only through these
 * ports, which keeps the libraries free of import cycles.
 */
@Global()
@Module({
  imports: [TenantsModule, KnowledgeBasesModule],
  providers: [
    { provide: TenantLookup, useExisting: TenantsService },
    { provide: KnowledgeBaseLookup, useExisting: KnowledgeBasesService },
    { provide: ResolutionLookup, useClass: SqlResolutionLookup },
    { provide: SsoGroupGrants, useClass: GroupsForSso },
  ],
  exports: [TenantLookup, KnowledgeBaseLookup, ResolutionLookup, SsoGroupGrants],
})
export class TenantDirectoryModule {}
