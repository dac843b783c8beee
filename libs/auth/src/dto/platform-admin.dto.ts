import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

/** A new platform admin, as the operator's `admin create` gives it (same rules as a member's). */
export class CreatePlatformAdminDto {
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @IsString()
  @MinLength(12)
  @MaxLength(1024)
  password!: string;
}
