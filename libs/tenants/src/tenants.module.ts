import { TenantSettingsModule } from './tenant-settings.module';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@strata/auth';
import { TenantConfigController } from './config/tenant-config.controller';
import { Tenant } from './entities/tenant.entity';
import { UsageController } from './usage/usage.controller';
import { UsageReport } from './usage/usage-report.service';
import { InvitationAcceptanceController } from './invitations/invitation-acceptance.controller';
import { Invitation } from './invitations/invitation.entity';
import { InvitationsController } from './invitations/invitations.controller';
import { InvitationsService } from './invitations/invitations.service';
import { GroupsController } from './groups/groups.controller';
import { GroupsService } from './groups/groups.service';
import { MembersController } from './members/members.controller';
import { MembersService } from './members/members.service';
import { UserMembershipsController } from './members/user-memberships.controller';
import { UserMembershipsService } from './members/user-memberships.service';
import { QuotaLeases } from './quotas/quota-leases';
import { TenantsController } from './tenants.controller';
import { TenantsService } from './tenants.service';

@Module({
  imports: [TypeOrmModule.forFeature([Tenant, Invitation]), AuthModule, TenantSettingsModule],
  controllers: [
    TenantsController,
    MembersController,
    GroupsController,
    UserMembershipsController,
    InvitationsController,
    InvitationAcceptanceController,
    TenantConfigController,
    UsageController,
  ],
  providers: [
    TenantsService,
    MembersService,
    GroupsService,
    UserMembershipsService,
    InvitationsService,
    UsageReport,
    QuotaLeases,
  ],
  exports: [TenantsService, TenantSettingsModule, QuotaLeases],
})
export class TenantsModule {}
