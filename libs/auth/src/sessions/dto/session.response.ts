import { ApiProperty } from '@nestjs/swagger';

export class SessionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The session this request came in through' }) current!: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, description: 'The tenant the session is bound to' })
  tenant_id!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({
    format: 'date-time',
    description: 'Sign-in or the latest token refresh: exact to within one access token life',
  })
  last_used_at!: string;
  @ApiProperty({ format: 'date-time', description: 'After this the session cannot be renewed' })
  expires_at!: string;
  @ApiProperty({ nullable: true, description: 'Client address at sign-in' }) ip!: string | null;
  @ApiProperty({ nullable: true, description: 'User agent at sign-in' }) user_agent!: string | null;
}

export class SessionsEndedResponse {
  @ApiProperty({ description: 'How many sessions ended' }) ended!: number;
}
