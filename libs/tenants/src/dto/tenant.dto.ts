import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { SlugField } from '@strata/core';
import { withDefaultQuotas } from '@strata/tenancy';
import type { Tenant } from '../entities/tenant.entity';
import { QuotasDto, QuotasResponse } from './quotas.dto';

export class CreateTenantDto {
  @SlugField({ example: 'acme' })
  slug!: string;

  @ApiProperty({ example: 'Acme Corp' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ type: QuotasDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuotasDto)
  quotas?: QuotasDto;
}

/** Rename, suspend/reactivate, or change some quotas; omitted fields keep their value. */
export class UpdateTenantDto extends PartialType(PickType(CreateTenantDto, ['name', 'quotas'] as const)) {
  @ApiPropertyOptional({ enum: ['active', 'suspended'] })
  @IsOptional()
  @IsIn(['active', 'suspended'])
  status?: 'active' | 'suspended';

  @ApiPropertyOptional({
    description:
      'Members reach the tenant only in sessions started by single sign-on (OpenID Connect or LDAP); password sessions get 403 SSO_REQUIRED. Platform admins and API keys are not affected',
  })
  @IsOptional()
  @IsBoolean()
  sso_required?: boolean;
}

export class TenantResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['active', 'suspended', 'deleting'] }) status!: string;
  @ApiProperty({ type: QuotasResponse }) quotas!: QuotasResponse;
  @ApiProperty() sso_required!: boolean;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;

  static from(tenant: Tenant): TenantResponse {
    return {
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      status: tenant.status,
      quotas: withDefaultQuotas(tenant.quotas),
      sso_required: tenant.ssoRequired,
      created_at: tenant.createdAt.toISOString(),
      updated_at: tenant.updatedAt.toISOString(),
    };
  }
}

export class TenantPageResponse {
  @ApiProperty({ type: [TenantResponse] }) items!: TenantResponse[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}
