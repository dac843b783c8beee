import { Body, Controller, Get, HttpCode, Ip, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiDefaultResponse,
  ApiFoundResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { parse as parseCookies } from 'cookie';
import type { Request, Response } from 'express';
import { Public } from '@strata/authz';
import { AppConfig, DomainError, ErrorResponse } from '@strata/core';
import { TenantContextService } from '@strata/tenancy';
import { TokenResponse } from '../dto/token.response';
import { OidcExchangeDto, OidcLoginQueryDto } from './dto/oidc-login.dto';
import { LOGIN_STATE_COOKIE, LOGIN_STATE_TTL_SECONDS } from './login-state';
import { OidcSignInService } from './oidc-sign-in.service';

const COOKIE_PATH = '/api/v1/auth/oidc';

/**
 * Single sign-on through OpenID Connect, for browsers: the redirect to a provider, its callback
 * (which hands the console a one-time code in the URL fragment, or an error code), and the trade
 * of that code for tokens.
 */
@ApiTags('auth')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@Controller('auth/oidc')
export class OidcController {
  constructor(
    private readonly config: AppConfig,
    private readonly signIn: OidcSignInService,
    private readonly contexts: TenantContextService,
  ) {}

  @Get(':provider/login')
  @Public()
  @ApiParam({ name: 'provider', description: 'The provider’s slug' })
  @ApiOperation({
    summary:
      'Start signing in through a provider: redirects the browser there (authorization code flow with PKCE)',
  })
  @ApiFoundResponse({ description: 'To the provider’s authorization endpoint' })
  @ApiNotFoundResponse({ description: 'IDENTITY_PROVIDER_NOT_FOUND (unknown or disabled)' })
  @ApiBadGatewayResponse({ description: 'SSO_PROVIDER_UNAVAILABLE' })
  async login(
    @Param('provider') slug: string,
    @Query() query: OidcLoginQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { url, state, secure } = await this.signIn.begin(slug, this.origin(request), {
      tenantRef: query.tenant ?? null,
      loginHint: query.login_hint,
    });
    response.cookie(LOGIN_STATE_COOKIE, state, {
      httpOnly: true,
      // Sent along when the provider sends the browser back (a top-level GET from its site).
      sameSite: 'lax',
      secure,
      path: COOKIE_PATH,
      maxAge: LOGIN_STATE_TTL_SECONDS * 1000,
    });
    response.setHeader('Cache-Control', 'no-store');
    response.redirect(302, url.href);
  }

  @Get(':provider/callback')
  @Public()
  @ApiParam({ name: 'provider', description: 'The provider’s slug' })
  @ApiOperation({
    summary:
      'Where the provider sends the browser back: redirects to the console with a one-time code (#sso=…) or an error code (#sso_error=…)',
  })
  @ApiFoundResponse({
    description:
      'To /console/login with the result in the fragment; every refusal, an unknown or disabled provider included, is an error code there',
  })
  async callback(
    @Param('provider') slug: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const sealedState = parseCookies(request.headers.cookie ?? '')[LOGIN_STATE_COOKIE];
    const query = request.originalUrl.includes('?')
      ? request.originalUrl.slice(request.originalUrl.indexOf('?'))
      : '';
    response.clearCookie(LOGIN_STATE_COOKIE, { path: COOKIE_PATH });
    response.setHeader('Cache-Control', 'no-store');
    const consoleLogin = `${this.config.publicUrl ?? ''}/console/login`;
    try {
      const code = await this.signIn.complete(slug, query, sealedState, this.origin(request));
      response.redirect(302, `${consoleLogin}#sso=${encodeURIComponent(code)}`);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      response.redirect(302, `${consoleLogin}#sso_error=${error.code}`);
    }
  }

  @Post('exchange')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Trade the one-time code of a finished single sign-on for an access and a refresh token',
  })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ description: 'INVALID_SSO_HANDOFF: unknown, used or older than a minute' })
  exchange(@Body() dto: OidcExchangeDto, @Ip() ip: string): Promise<TokenResponse> {
    const { userAgent } = this.contexts.requestInfo();
    return this.signIn.redeem(dto.code, { ip, userAgent });
  }

  /** The origin the request came to (behind a trusted proxy, the one the browser used). */
  private origin(request: Request): string {
    return `${request.protocol}://${request.get('host') ?? 'localhost'}`;
  }
}
