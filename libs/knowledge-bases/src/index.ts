export * from './knowledge-bases.module';
export * from './knowledge-bases.service';
export * from './kb-config';
export * from './kb-writable';
export * from './kb-document-requeue.port';
export * from './knowledge-base.repository';
export * from './entities/knowledge-base.entity';
export * from './dto/knowledge-base.dto';
export { KB_PARAM } from './knowledge-bases.controller';
