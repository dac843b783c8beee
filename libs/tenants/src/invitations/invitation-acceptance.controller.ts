import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@strata/authz';
import { ErrorResponse } from '@strata/core';
import { AcceptedInvitationResponse, AcceptInvitationDto } from './dto/invitation.dto';
import { InvitationsService } from './invitations.service';

@ApiTags('invitations')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@Controller('invitations')
export class InvitationAcceptanceController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post('accept')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Accept an invitation with its token',
    description:
      "With no account for the invited email, creates one with this password; with one, the password must be that account's (401 INVALID_CREDENTIALS otherwise, throttled like a login). Then log in as usual.",
  })
  @ApiOkResponse({ type: AcceptedInvitationResponse })
  accept(@Body() dto: AcceptInvitationDto, @Ip() ip: string): Promise<AcceptedInvitationResponse> {
    return this.invitations.accept(dto, ip);
  }
}
