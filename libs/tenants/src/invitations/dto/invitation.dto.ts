import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { GrantDto, PermissionsResponse } from '@strata/auth';
import { effectivePermissions, TENANT_ROLES, type TenantRole } from '@strata/tenancy';
import { type Invitation, invitationStatus, type InvitationStatus } from '../invitation.entity';

export class CreateInvitationDto extends GrantDto {
  @ApiProperty({ example: 'dana@acme.example' })
  @IsEmail()
  @MaxLength(320)
  email!: string;
}

export class AcceptInvitationDto {
  @ApiProperty({ description: 'The token the invitation was created with', example: 'inv_…' })
  @IsString()
  @Matches(/^inv_[A-Za-z0-9_-]{43}$/, { message: 'token is not an invitation token' })
  token!: string;

  @ApiProperty({
    minLength: 12,
    description: "The new account's password, or the existing account's own password (it proves the invitee)",
  })
  @IsString()
  @MinLength(12)
  @MaxLength(1024)
  password!: string;
}

export class InvitationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: TENANT_ROLES }) role!: TenantRole;
  @ApiProperty({ type: [String], nullable: true, description: 'null = every KB of the tenant' })
  knowledge_base_ids!: string[] | null;
  @ApiProperty({ type: PermissionsResponse }) permissions!: PermissionsResponse;
  @ApiProperty({ enum: ['pending', 'accepted', 'revoked', 'expired'] }) status!: InvitationStatus;
  @ApiProperty() created_at!: string;
  @ApiProperty() expires_at!: string;

  static from(invitation: Invitation): InvitationResponse {
    return {
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      knowledge_base_ids: invitation.knowledgeBaseIds,
      permissions: effectivePermissions(invitation.role, invitation.permissions),
      status: invitationStatus(invitation),
      created_at: invitation.createdAt.toISOString(),
      expires_at: invitation.expiresAt.toISOString(),
    };
  }
}

export class CreatedInvitationResponse extends InvitationResponse {
  @ApiProperty({
    description:
      'Shown once: hand it to the invitee, who accepts with POST /api/v1/invitations/accept. Whoever holds it can accept.',
  })
  token!: string;
}

export class InvitationPageResponse {
  @ApiProperty({ type: [InvitationResponse] }) items!: InvitationResponse[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}

export class AcceptedInvitationResponse {
  @ApiProperty({ format: 'uuid' }) tenant_id!: string;
  @ApiProperty({ format: 'uuid' }) user_id!: string;
  @ApiProperty({ enum: TENANT_ROLES }) role!: TenantRole;
  @ApiPropertyOptional({ description: 'Whether accepting created the account' }) new_user!: boolean;
}
