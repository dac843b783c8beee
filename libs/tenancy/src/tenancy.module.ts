import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessCache } from './access/access-cache';
import { AccessCatchUpInterceptor } from './access/access-catch-up.interceptor';
import { Membership } from './memberships/membership.entity';
import { MembershipsRepository } from './memberships/memberships.repository';
import { TenantContextService } from './tenant-context.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Membership])],
  providers: [TenantContextService, MembershipsRepository, AccessCache, AccessCatchUpInterceptor],
  exports: [TenantContextService, MembershipsRepository, AccessCache, AccessCatchUpInterceptor],
})
export class TenancyModule {}
