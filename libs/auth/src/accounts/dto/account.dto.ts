import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '@strata/core';
import type { User } from '../../users/user.entity';

export class AccountQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only the account with this email' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;
}

export class AccountResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() platform_admin!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, description: 'Set while the account is disabled' })
  disabled_at!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;

  static from(user: User): AccountResponse {
    return {
      id: user.id,
      email: user.email,
      platform_admin: user.platformAdmin,
      disabled_at: user.disabledAt?.toISOString() ?? null,
      created_at: user.createdAt.toISOString(),
    };
  }
}

export class AccountPageResponse {
  @ApiProperty({ type: [AccountResponse] }) items!: AccountResponse[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}

export class PasswordResetIssuedResponse {
  @ApiProperty({
    description: 'Shown once: give it to the person, who sets a new password with POST /auth/password/reset',
  })
  token!: string;
  @ApiProperty({ format: 'date-time' }) expires_at!: string;
}

export class RedeemPasswordResetDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  token!: string;

  @ApiProperty({ minLength: 12, maxLength: 1024 })
  @IsString()
  @MinLength(12)
  @MaxLength(1024)
  new_password!: string;
}
