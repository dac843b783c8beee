import { Body, Controller, HttpCode, Ip, Param, Post } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiDefaultResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '@strata/authz';
import { ErrorResponse } from '@strata/core';
import { TenantContextService } from '@strata/tenancy';
import { TokenResponse } from '../dto/token.response';
import { LdapLoginDto } from './dto/ldap-login.dto';
import { LdapSignInService } from './ldap-sign-in.service';

@ApiTags('auth')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@Controller('auth/ldap')
export class LdapController {
  constructor(
    private readonly signIn: LdapSignInService,
    private readonly contexts: TenantContextService,
  ) {}

  @Post(':provider/login')
  @Public()
  @HttpCode(200)
  @ApiParam({ name: 'provider', description: 'The LDAP provider’s slug' })
  @ApiOperation({
    summary:
      'Sign in with a directory name and password (LDAP / Active Directory): an access and a refresh token',
  })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS, whatever part was wrong; SSO_REJECTED' })
  @ApiNotFoundResponse({ description: 'IDENTITY_PROVIDER_NOT_FOUND (unknown, disabled or not LDAP)' })
  @ApiTooManyRequestsResponse({ description: 'TOO_MANY_LOGIN_ATTEMPTS, with Retry-After' })
  @ApiBadGatewayResponse({ description: 'SSO_PROVIDER_UNAVAILABLE: the directory could not be used' })
  login(
    @Param('provider') slug: string,
    @Body() dto: LdapLoginDto,
    @Ip() ip: string,
  ): Promise<TokenResponse> {
    const { userAgent } = this.contexts.requestInfo();
    return this.signIn.login(
      slug,
      { username: dto.username, password: dto.password, tenantRef: dto.tenant_id ?? null },
      { ip, userAgent },
    );
  }
}
