import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiDefaultResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuditAction, AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import { decodeCursor, DEFAULT_PAGE_SIZE, ErrorResponse, Page } from '@strata/core';
import { AccountsPolicies } from './accounts.policies';
import { AccountsService } from './accounts.service';
import {
  AccountPageResponse,
  AccountQueryDto,
  AccountResponse,
  PasswordResetIssuedResponse,
} from './dto/account.dto';

@ApiTags('accounts')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@AuditResource('user')
@Controller('users')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @CheckPolicies(AccountsPolicies.list)
  @ApiOperation({ summary: 'List the deployment’s accounts (platform admin), or find one by email' })
  @ApiOkResponse({ type: AccountPageResponse })
  list(@Query() query: AccountQueryDto): Promise<Page<AccountResponse>> {
    return this.accounts.list(query.email, decodeCursor(query.cursor), query.limit ?? DEFAULT_PAGE_SIZE);
  }

  @Post(':userId/disable')
  @HttpCode(200)
  @AuditAction('user.disable')
  @ApiParam({ name: 'userId', format: 'uuid' })
  @CheckPolicies(AccountsPolicies.update)
  @ApiOperation({
    summary:
      'Disable an account (platform admin): it signs in no more and its sessions end at once; API keys it created stay with their tenant',
  })
  @ApiOkResponse({ type: AccountResponse })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND' })
  @ApiConflictResponse({ description: 'CANNOT_DISABLE_SELF' })
  disable(@Param('userId') userId: string): Promise<AccountResponse> {
    return this.accounts.disable(userId.toLowerCase());
  }

  @Post(':userId/enable')
  @HttpCode(200)
  @AuditAction('user.enable')
  @ApiParam({ name: 'userId', format: 'uuid' })
  @CheckPolicies(AccountsPolicies.update)
  @ApiOperation({ summary: 'Enable a disabled account again (platform admin), with its own password' })
  @ApiOkResponse({ type: AccountResponse })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND' })
  enable(@Param('userId') userId: string): Promise<AccountResponse> {
    return this.accounts.enable(userId.toLowerCase());
  }

  @Post(':userId/password-reset')
  @AuditAction('user.password_reset_issue')
  @ApiParam({ name: 'userId', format: 'uuid' })
  @CheckPolicies(AccountsPolicies.update)
  @ApiOperation({
    summary:
      'Issue a one-time password reset for an account (platform admin), valid 24 hours; it replaces earlier ones and is shown only here',
  })
  @ApiCreatedResponse({ type: PasswordResetIssuedResponse })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND' })
  issueReset(@Param('userId') userId: string): Promise<PasswordResetIssuedResponse> {
    return this.accounts.issueReset(userId.toLowerCase());
  }
}
