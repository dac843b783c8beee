import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiDefaultResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { AuditAction, AuditResource } from '@strata/audit';
import { CheckPolicies, type PolicyHandler } from '@strata/authz';
import { ErrorResponse } from '@strata/core';
import { UserMembershipsService } from './user-memberships.service';

export class RemovedEverywhereResponse {
  @ApiProperty({ type: [String], description: 'The tenants the user was removed from' })
  tenant_ids!: string[];
}

/** Accounts span tenants: only platform admins act on all of a person's memberships. */
const updateAccounts: PolicyHandler = (ability) => ability.can('update', 'Account');

@ApiTags('accounts')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@AuditResource('user')
@Controller('users/:userId/memberships')
export class UserMembershipsController {
  constructor(private readonly userMemberships: UserMembershipsService) {}

  @Delete()
  @HttpCode(200)
  @AuditAction('user.remove_from_tenants')
  @ApiParam({ name: 'userId', format: 'uuid' })
  @CheckPolicies(updateAccounts)
  @ApiOperation({
    summary:
      'Remove a user from every tenant (platform admin); each removal is audited on its tenant, the account stays',
  })
  @ApiOkResponse({ type: RemovedEverywhereResponse })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND' })
  @ApiConflictResponse({ description: 'LAST_TENANT_ADMIN: the only admin of a tenant; nothing removed' })
  async removeEverywhere(@Param('userId') userId: string): Promise<RemovedEverywhereResponse> {
    return { tenant_ids: await this.userMemberships.removeEverywhere(userId.toLowerCase()) };
  }
}
