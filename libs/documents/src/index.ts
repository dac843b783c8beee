export * from './content/document-format';
export * from './content/normalize-text';
export * from './entities/document.entity';
export * from './entities/chunk.entity';
export * from './dto/document.dto';
export * from './documents.service';
export * from './document-lookups.repository';
export * from './lifecycle/document-claims.repository';
export * from './lifecycle/document-graph-claims.repository';
export * from './lifecycle/document-removal.repository';
export * from './deletion/document-deletions.repository';
export * from './lifecycle/chunk-rows.repository';
export * from './lifecycle/unfinished-documents.repository';
export * from './documents.module';
export * from './new-document';
export * from './chunk-reads.repository';
export * from './bulk/document-bulk-actions.service';
export * from './status/document-status.repository';
export * from './documents.policies';
export { fileToNewDocument, textsToNewDocuments } from './upload/new-documents';
export {
  assertWithinUploadQuota,
  DocumentUploadInterceptor,
  UploadFilesField,
} from './upload/document-upload.interceptor';
export * from './access/document-visibility';
export * from './access/document-access-lists';
export type { DocumentAccess } from './access/access-list';
