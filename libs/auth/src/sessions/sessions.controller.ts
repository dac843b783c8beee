import { Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiDefaultResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuditAction, AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import { ErrorResponse } from '@strata/core';
import { TenantContextService, type UserPrincipal } from '@strata/tenancy';
import { SessionResponse, SessionsEndedResponse } from './dto/session.response';
import { SessionPolicies } from './sessions.policies';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@AuditResource('session')
@Controller('auth/sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly contexts: TenantContextService,
  ) {}

  @Get()
  @CheckPolicies(SessionPolicies.list)
  @ApiOperation({ summary: 'The caller’s live sessions (sign-ins), most recently used first' })
  @ApiOkResponse({ type: [SessionResponse] })
  list(): Promise<SessionResponse[]> {
    return this.sessions.list(this.signedInUser());
  }

  @Delete(':sessionId')
  @HttpCode(204)
  @AuditAction('auth.session_revoke')
  @ApiParam({ name: 'sessionId', format: 'uuid' })
  @CheckPolicies(SessionPolicies.delete)
  @ApiOperation({
    summary: 'End one of the caller’s sessions: its access and refresh tokens stop working at once',
  })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'SESSION_NOT_FOUND: not the caller’s, or already ended' })
  async revoke(@Param('sessionId') sessionId: string): Promise<void> {
    await this.sessions.revoke(this.signedInUser(), sessionId.toLowerCase());
  }

  @Delete()
  @HttpCode(200)
  @AuditAction('auth.sign_out_everywhere')
  @CheckPolicies(SessionPolicies.delete)
  @ApiOperation({ summary: 'Sign out everywhere: end every session of the caller, this one included' })
  @ApiOkResponse({ type: SessionsEndedResponse })
  async revokeAll(): Promise<SessionsEndedResponse> {
    return { ended: await this.sessions.revokeAll(this.signedInUser()) };
  }

  /** The policies admit only people, so the principal is a user's. */
  private signedInUser(): UserPrincipal {
    return this.contexts.principal() as UserPrincipal;
  }
}
