import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiDefaultResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '@strata/authz';
import { ErrorResponse } from '@strata/core';
import { PasswordsService } from '../users/passwords.service';
import { RedeemPasswordResetDto } from './dto/account.dto';

@ApiTags('auth')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@Controller('auth/password')
export class PasswordResetController {
  constructor(private readonly passwords: PasswordsService) {}

  @Post('reset')
  @Public()
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Set a new password with a one-time reset token from a platform admin; every session of the account ends',
  })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'INVALID_PASSWORD_RESET: unknown, used, replaced or expired' })
  async redeem(@Body() dto: RedeemPasswordResetDto): Promise<void> {
    await this.passwords.redeemReset(dto.token, dto.new_password);
  }
}
