import { Global, Module } from '@nestjs/common';
import { KbDocumentRequeue } from '@strata/knowledge-bases';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HiddenDocuments, TenantHoldings, TenantSettingsModule } from '@strata/tenants';
import { DocumentAccessLists } from './access/document-access-lists';
import { DocumentVisibility } from './access/document-visibility';
import { DocumentBulkActions } from './bulk/document-bulk-actions.service';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';
import { ChunkRecord } from './entities/chunk.entity';
import { DocumentRecord } from './entities/document.entity';
import { DocumentRequeueRepository } from './lifecycle/document-requeue.repository';
import { DocumentStatusReads } from './status/document-status.repository';
import { TenantHoldingsCounter } from './tenant-holdings-counter';
import { DocumentUploadInterceptor } from './upload/document-upload.interceptor';

/** Documents of a KB over HTTP; their processing lives in the ingestion library. */
@Module({
  imports: [TypeOrmModule.forFeature([DocumentRecord, ChunkRecord]), TenantSettingsModule],
  controllers: [DocumentsController],
  providers: [DocumentsService, DocumentBulkActions, DocumentStatusReads, DocumentUploadInterceptor],
  exports: [DocumentsService, DocumentBulkActions, DocumentStatusReads, DocumentUploadInterceptor],
})
export class DocumentsModule {}

/** The document and chunk tables without the HTTP surface (ingestion, worker). */
@Module({
  imports: [TypeOrmModule.forFeature([DocumentRecord, ChunkRecord])],
  exports: [TypeOrmModule],
})
export class DocumentTablesModule {}

/**
 * The ports lower libraries declare over documents and KBs, which they cannot import: putting a
 * KB's documents back to `pending` (`KbDocumentRequeue`, knowledge-bases) and counting a tenant's
 * holdings for its usage report (`TenantHoldings`, tenants). Global so that their modules find
 * them wherever an app composes them; every app with those modules imports this one too. With
 * them, the documents a caller may not see in a KB (`HiddenDocuments`, tenancy's, which tenant
 * resolution asks), and the check of an access list being set.
 */
@Global()
@Module({
  providers: [
    DocumentRequeueRepository,
    { provide: KbDocumentRequeue, useExisting: DocumentRequeueRepository },
    { provide: TenantHoldings, useClass: TenantHoldingsCounter },
    { provide: HiddenDocuments, useClass: DocumentVisibility },
    DocumentAccessLists,
  ],
  exports: [
    DocumentRequeueRepository,
    KbDocumentRequeue,
    TenantHoldings,
    HiddenDocuments,
    DocumentAccessLists,
  ],
})
export class DocumentPortsModule {}
