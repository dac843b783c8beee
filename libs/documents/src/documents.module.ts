import { Global, Module } from '@nestjs/common';
import { KbDocumentRequeue } from '@strata/knowledge-bases';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenantSettingsModule } from '@strata/tenants';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';
import { ChunkRecord } from './entities/chunk.entity';
import { DocumentRecord } from './entities/document.entity';
import { DocumentRequeueRepository } from './lifecycle/document-requeue.repository';
import { DocumentUploadInterceptor } from './upload/document-upload.interceptor';

/** Documents of a KB over HTTP; their processing lives in the ingestion library. */
@Module({
  imports: [TypeOrmModule.forFeature([DocumentRecord, ChunkRecord]), TenantSettingsModule],
  controllers: [DocumentsController],
  providers: [DocumentsService, DocumentUploadInterceptor],
  exports: [DocumentsService],
})
export class DocumentsModule {}

/** The document and chunk tables without the HTTP surface (ingestion, worker). */
@Module({
  imports: [TypeOrmModule.forFeature([DocumentRecord, ChunkRecord])],
  exports: [TypeOrmModule],
})
export class DocumentTablesModule {}

/**
 * Puts a KB's documents back to `pending` for the knowledge-bases library (`KbDocumentRequeue`),
 * which cannot import this one; global so that its module finds the port wherever an app composes
 * both. Every app that has the knowledge-bases module imports this one too.
 */
@Global()
@Module({
  providers: [
    DocumentRequeueRepository,
    { provide: KbDocumentRequeue, useExisting: DocumentRequeueRepository },
  ],
  exports: [DocumentRequeueRepository, KbDocumentRequeue],
})
export class KbDocumentRequeueModule {}
