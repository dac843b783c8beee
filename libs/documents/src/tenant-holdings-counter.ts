import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { countTenantKnowledgeBases } from '@strata/knowledge-bases';
import type { TenantScope } from '@strata/tenancy';
import { type TenantHoldingCounts, TenantHoldings } from '@strata/tenants';
import { tenantDocumentHoldings } from './tenant-documents.repository';

/** The tenants library's `TenantHoldings`: a tenant's KBs, and its documents as its quotas count them. */
@Injectable()
export class TenantHoldingsCounter extends TenantHoldings {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async count(scope: TenantScope): Promise<TenantHoldingCounts> {
    const knowledgeBases = await countTenantKnowledgeBases(this.dataSource, scope);
    const documents = await tenantDocumentHoldings(this.dataSource, scope.tenantId);
    return { knowledgeBases, documents: documents.documents, storageBytes: documents.bytes };
  }
}
