import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Membership } from './memberships/membership.entity';
import { MembershipsService } from './memberships/memberships.service';
import { TenantContextService } from './tenant-context.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Membership])],
  providers: [TenantContextService, MembershipsService],
  exports: [TenantContextService, MembershipsService],
})
export class TenancyModule {}
