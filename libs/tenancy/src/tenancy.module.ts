import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessCache } from './access/access-cache';
import { Membership } from './memberships/membership.entity';
import { MembershipsRepository } from './memberships/memberships.repository';
import { TenantContextService } from './tenant-context.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Membership])],
  providers: [TenantContextService, MembershipsRepository, AccessCache],
  exports: [TenantContextService, MembershipsRepository, AccessCache],
})
export class TenancyModule {}
