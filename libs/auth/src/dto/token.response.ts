import { ApiProperty } from '@nestjs/swagger';

export class TokenResponse {
  @ApiProperty({ description: 'Short-lived JWT (HS256)' })
  access_token!: string;

  @ApiProperty({ description: 'Opaque, single-use; rotate it with POST /auth/refresh' })
  refresh_token!: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type!: 'Bearer';

  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expires_in!: number;
}
