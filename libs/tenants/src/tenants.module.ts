import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@strata/auth';
import { TenantConfigController } from './config/tenant-config.controller';
import { TenantConfigService } from './config/tenant-config.service';
import { Tenant } from './entities/tenant.entity';
import { UsageController } from './usage/usage.controller';
import { UsageService } from './usage/usage.service';
import { MembersController } from './members/members.controller';
import { MembersService } from './members/members.service';
import { TenantsController } from './tenants.controller';
import { TenantsService } from './tenants.service';

@Module({
  imports: [TypeOrmModule.forFeature([Tenant]), AuthModule],
  controllers: [TenantsController, MembersController, TenantConfigController, UsageController],
  providers: [TenantsService, MembersService, TenantConfigService, UsageService],
  exports: [TenantsService, TenantConfigService, UsageService],
})
export class TenantsModule {}
