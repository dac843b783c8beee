export * from './tenants.module';
export * from './tenants.service';
export * from './tenants.controller';
export * from './quotas';
export * from './entities/tenant.entity';
export * from './dto/tenant.dto';
export * from './config/tenant-config.service';
export * from './config/tenant-config';
