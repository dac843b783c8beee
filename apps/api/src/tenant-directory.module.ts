import { Global, Module } from '@nestjs/common';
import { KnowledgeBasesModule, KnowledgeBasesService } from '@strata/knowledge-bases';
import { TenantsModule, TenantsService } from '@strata/tenants';
import { KnowledgeBaseLookup, TenantLookup } from '@strata/tenancy';

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
  ],
  exports: [TenantLookup, KnowledgeBaseLookup],
})
export class TenantDirectoryModule {}
