export * from './content/document-format';
export * from './content/normalize-text';
export * from './entities/document.entity';
export * from './entities/chunk.entity';
export * from './dto/document.dto';
export * from './documents.service';
export * from './documents.module';
export * from './new-document';
