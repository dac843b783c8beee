export { TenantDirectoryModule } from './tenant-directory.module';
export { SqlResolutionLookup } from './sql-resolution.adapter';
