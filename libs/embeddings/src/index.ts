export * from './embedding-space.service';
export * from './embedding-space.module';
