import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, MaxLength } from 'class-validator';

/** The account whose failed logins an operator clears. */
export class UnlockAccountDto {
  @ApiProperty({ example: 'ann@acme.test' })
  @IsEmail()
  @MaxLength(320)
  email!: string;
}

export class UnlockAccountResponse {
  @ApiProperty({ description: 'Whether failed logins had locked the account' }) was_locked!: boolean;
}
