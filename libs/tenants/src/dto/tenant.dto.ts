import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { SLUG_PATTERN } from '@strata/core';
import { withDefaultQuotas } from '../quotas';
import type { Tenant } from '../entities/tenant.entity';
import { QuotasDto, QuotasResponse } from './quotas.dto';

export class CreateTenantDto {
  @ApiProperty({ example: 'acme', pattern: SLUG_PATTERN.source })
  @IsString()
  @Matches(SLUG_PATTERN, {
    message: 'slug must be 2-63 characters of a-z, 0-9 and -, starting with a letter or digit',
  })
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

export class UpdateTenantDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: ['active', 'suspended'] })
  @IsOptional()
  @IsIn(['active', 'suspended'])
  status?: 'active' | 'suspended';

  @ApiPropertyOptional({ type: QuotasDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuotasDto)
  quotas?: QuotasDto;
}

export class TenantResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['active', 'suspended', 'deleting'] }) status!: string;
  @ApiProperty({ type: QuotasResponse }) quotas!: QuotasResponse;
  @ApiProperty() created_at!: string;
  @ApiProperty() updated_at!: string;

  static from(tenant: Tenant): TenantResponse {
    return {
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      status: tenant.status,
      quotas: withDefaultQuotas(tenant.quotas),
      created_at: tenant.createdAt.toISOString(),
      updated_at: tenant.updatedAt.toISOString(),
    };
  }
}

export class TenantPageResponse {
  @ApiProperty({ type: [TenantResponse] }) items!: TenantResponse[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}
