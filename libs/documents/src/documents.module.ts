import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenantSettingsModule } from '@strata/tenants';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';
import { ChunkRecord } from './entities/chunk.entity';
import { DocumentRecord } from './entities/document.entity';
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
