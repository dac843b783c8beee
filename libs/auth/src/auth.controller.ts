import { ErrorResponse } from '@strata/core';
import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiDefaultResponse,
  ApiForbiddenResponse,
} from '@nestjs/swagger';
import { anyAuthenticated, CheckPolicies, Public } from '@strata/authz';
import { TenantContextService, type UserPrincipal } from '@strata/tenancy';
import { AccountPolicies } from './auth.policies';
import { AuthService } from './auth.service';
import { ChangePasswordDto } from './dto/change-password.dto';
import { PasswordsService } from './users/passwords.service';
import { UnlockAccountDto, UnlockAccountResponse } from './dto/unlock-account.dto';
import { LoginDto, RefreshDto } from './dto/login.dto';
import { MeResponse } from './dto/me.response';
import { TokenResponse } from './dto/token.response';

@ApiTags('auth')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly passwords: PasswordsService,
    private readonly contexts: TenantContextService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for an access and a refresh token' })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS, whatever part was wrong' })
  @ApiTooManyRequestsResponse({ description: 'TOO_MANY_LOGIN_ATTEMPTS, with Retry-After' })
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<TokenResponse> {
    const { userAgent } = this.contexts.requestInfo();
    return this.auth.login(dto.email, dto.password, dto.tenant_id, { ip, userAgent });
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate a refresh token; reusing a rotated one revokes its whole family' })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ description: 'INVALID_REFRESH_TOKEN' })
  refresh(@Body() dto: RefreshDto): Promise<TokenResponse> {
    return this.auth.refresh(dto.refresh_token);
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({
    summary: 'End the session of this refresh token: its refresh and access tokens stop working at once',
  })
  @ApiNoContentResponse()
  async logout(@Body() dto: RefreshDto): Promise<void> {
    await this.auth.logout(dto.refresh_token);
  }

  @Post('unlock')
  @HttpCode(200)
  @ApiBearerAuth()
  @CheckPolicies(AccountPolicies.unlock)
  @ApiOperation({
    summary:
      "Clear an account's failed logins, unlocking it at once (platform admin); the same answer whether or not the account exists",
  })
  @ApiOkResponse({ type: UnlockAccountResponse })
  unlock(@Body() dto: UnlockAccountDto): Promise<UnlockAccountResponse> {
    return this.auth.unlock(dto.email);
  }

  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @CheckPolicies(AccountPolicies.changePassword)
  @ApiOperation({
    summary:
      'Change the caller’s password (the current one required); every other session of theirs ends, this one stays',
  })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'INVALID_CURRENT_PASSWORD: the current password does not match' })
  @ApiTooManyRequestsResponse({ description: 'TOO_MANY_LOGIN_ATTEMPTS, with Retry-After' })
  async changePassword(@Body() dto: ChangePasswordDto, @Ip() ip: string): Promise<void> {
    const caller = this.contexts.principal() as UserPrincipal;
    await this.passwords.change(caller, dto.current_password, dto.new_password, ip);
  }

  @Get('me')
  @ApiBearerAuth()
  @CheckPolicies(anyAuthenticated)
  @ApiOperation({ summary: 'The caller and their tenant memberships' })
  @ApiOkResponse({ type: MeResponse })
  me(): Promise<MeResponse> {
    return this.auth.me(this.contexts.principal()!);
  }
}
