import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Membership } from './memberships/membership.entity';
import { MembershipsRepository } from './memberships/memberships.repository';
import { TenantContextService } from './tenant-context.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Membership])],
  providers: [TenantContextService, MembershipsRepository],
  exports: [TenantContextService, MembershipsRepository],
})
export class TenancyModule {}
