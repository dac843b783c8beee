import { Nullable } from '@strata/core';
import { CHECKABLE_PROVIDERS, type CheckableProvider } from '@strata/providers';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  DEFAULT_PROVIDER_FALLBACKS,
  conversationSettings,
  memberSettings,
  type ModelPrice,
  priceSettings,
  PROVIDER_FALLBACKS,
  type ProviderFallbacks,
  ProviderSettings,
  SECRET_MASK,
  StoredTenantConfig,
} from '../tenant-config';

/** One provider's settings to change; null clears a field, omitted keeps it. */
export class ProviderSettingsDto {
  @ApiPropertyOptional({
    nullable: true,
    example: 'http://ollama:11434/v1',
    description:
      "OpenAI-compatible base URL; its host must be one the deployment's egress policy (PROVIDER_ALLOWED_HOSTS) allows, else 400 PROVIDER_HOST_NOT_ALLOWED",
  })
  @IsOptional()
  @Nullable()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(2000)
  base_url?: string | null;

  @ApiPropertyOptional({ nullable: true, example: 'llama3.1:8b' })
  @IsOptional()
  @Nullable()
  @IsString()
  @MaxLength(200)
  model?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    description:
      'Write-only: stored encrypted, answered as "***". Printable ASCII without spaces: it is sent in an HTTP header',
  })
  @IsOptional()
  @Nullable()
  @IsString()
  @MaxLength(4096)
  // An Authorization header takes no other characters: a key pasted with a typographic ellipsis
  // or a line break was stored, and every call to the provider then failed as "unreachable".
  @Matches(/^[\x21-\x7e]+$/, {
    message: 'api_key must be printable ASCII without spaces or line breaks (it is sent in an HTTP header)',
  })
  api_key?: string | null;

  @ApiPropertyOptional({ nullable: true, minimum: 100, maximum: 600000 })
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(100)
  @Max(600_000)
  timeout_ms?: number | null;

  @ApiPropertyOptional({ nullable: true, minimum: 1, maximum: 16384, description: 'Embedding dimension' })
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(1)
  @Max(16_384)
  dimension?: number | null;
}

export class PrivacySettingsDto {
  @ApiPropertyOptional({
    default: false,
    description: 'Keep query text: questions in the audit trail, and questions and answers in conversations',
  })
  @IsOptional()
  @IsBoolean()
  store_query_text?: boolean;
}

export class MemberSettingsDto {
  @ApiPropertyOptional({
    default: false,
    description:
      'Removing a member also revokes the API keys they created (by default keys belong to the tenant and outlive their creator)',
  })
  @IsOptional()
  @IsBoolean()
  revoke_api_keys_on_removal?: boolean;
}

/** Up to ten years; a longer wish is a wish to keep them, which null says. */
export const MAX_RETENTION_DAYS = 3650;

export class ConversationSettingsDto {
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    minimum: 1,
    maximum: MAX_RETENTION_DAYS,
    default: null,
    description:
      'Days conversation turns are kept; older ones, and conversations left empty, are removed by an hourly job. null keeps them',
  })
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(1)
  @Max(MAX_RETENTION_DAYS)
  retention_days?: number | null;
}

export class ModelPriceDto {
  @ApiProperty({ example: 'gpt-4o-mini', description: 'The model as the provider names it' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  model!: string;

  @ApiProperty({ minimum: 0, example: 0.15, description: 'Price of a million prompt (or embedding) tokens' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1_000_000)
  input_per_million!: number;

  @ApiProperty({ minimum: 0, example: 0.6, description: 'Price of a million completion tokens' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1_000_000)
  output_per_million!: number;
}

export class PriceSettingsDto {
  @ApiPropertyOptional({ default: 'USD', example: 'EUR', description: 'ISO 4217 code the prices are in' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code, e.g. USD' })
  currency?: string;

  @ApiPropertyOptional({ type: [ModelPriceDto], description: 'Replaces the whole table when given' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ModelPriceDto)
  models?: ModelPriceDto[];
}

export class ProviderFallbacksDto {
  @ApiPropertyOptional({
    enum: PROVIDER_FALLBACKS.llm,
    default: 'error',
    description: 'When the LLM fails: answer 502/504, or give the extractive answer',
  })
  @IsOptional()
  @IsIn(PROVIDER_FALLBACKS.llm)
  llm?: ProviderFallbacks['llm'];

  @ApiPropertyOptional({
    enum: PROVIDER_FALLBACKS.rerank,
    default: 'error',
    description: 'When the rerank provider fails: answer 502/504, or keep the fused order',
  })
  @IsOptional()
  @IsIn(PROVIDER_FALLBACKS.rerank)
  rerank?: ProviderFallbacks['rerank'];

  @ApiPropertyOptional({
    enum: PROVIDER_FALLBACKS.embedding,
    default: 'error',
    description:
      'When the embedding provider fails at query time: answer 502/504, or retrieve by full text alone',
  })
  @IsOptional()
  @IsIn(PROVIDER_FALLBACKS.embedding)
  embedding?: ProviderFallbacks['embedding'];
}

/** A section of the patch: its fields change the ones they name; null clears it. */
const RESETTABLE_SECTION = { nullable: true, description: 'null: back to the defaults' } as const;

export class UpdateTenantConfigDto {
  @ApiPropertyOptional({ type: ProviderSettingsDto, ...RESETTABLE_SECTION })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProviderSettingsDto)
  llm?: ProviderSettingsDto | null;

  @ApiPropertyOptional({ type: ProviderSettingsDto, ...RESETTABLE_SECTION })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProviderSettingsDto)
  embedding?: ProviderSettingsDto | null;

  @ApiPropertyOptional({ type: ProviderSettingsDto, ...RESETTABLE_SECTION })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProviderSettingsDto)
  rerank?: ProviderSettingsDto | null;

  @ApiPropertyOptional({ type: PrivacySettingsDto, ...RESETTABLE_SECTION })
  @IsOptional()
  @ValidateNested()
  @Type(() => PrivacySettingsDto)
  privacy?: PrivacySettingsDto | null;

  @ApiPropertyOptional({ type: MemberSettingsDto, ...RESETTABLE_SECTION })
  @IsOptional()
  @ValidateNested()
  @Type(() => MemberSettingsDto)
  members?: MemberSettingsDto | null;

  @ApiPropertyOptional({ type: PriceSettingsDto, ...RESETTABLE_SECTION })
  @IsOptional()
  @ValidateNested()
  @Type(() => PriceSettingsDto)
  prices?: PriceSettingsDto | null;

  @ApiPropertyOptional({ type: ConversationSettingsDto, ...RESETTABLE_SECTION })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConversationSettingsDto)
  conversations?: ConversationSettingsDto | null;

  @ApiPropertyOptional({ type: ProviderFallbacksDto, ...RESETTABLE_SECTION })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProviderFallbacksDto)
  on_provider_failure?: ProviderFallbacksDto | null;
}

export class ProviderSettingsResponse {
  @ApiProperty({ nullable: true, type: String }) base_url!: string | null;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty({ nullable: true, type: String, enum: [SECRET_MASK], description: '"***" when set' })
  api_key!: string | null;
  @ApiProperty() api_key_set!: boolean;
  @ApiProperty({ nullable: true, type: Number }) timeout_ms!: number | null;
  @ApiProperty({ nullable: true, type: Number }) dimension!: number | null;

  static from(settings: ProviderSettings | undefined): ProviderSettingsResponse {
    const apiKeySet = typeof settings?.api_key === 'string';
    return {
      base_url: settings?.base_url ?? null,
      model: settings?.model ?? null,
      api_key: apiKeySet ? SECRET_MASK : null,
      api_key_set: apiKeySet,
      timeout_ms: settings?.timeout_ms ?? null,
      dimension: settings?.dimension ?? null,
    };
  }
}

export class TenantConfigResponse {
  @ApiProperty({ type: ProviderSettingsResponse }) llm!: ProviderSettingsResponse;
  @ApiProperty({ type: ProviderSettingsResponse }) embedding!: ProviderSettingsResponse;
  @ApiProperty({ type: ProviderSettingsResponse }) rerank!: ProviderSettingsResponse;
  @ApiProperty({ type: PrivacySettingsDto }) privacy!: { store_query_text: boolean };
  @ApiProperty({ type: MemberSettingsDto }) members!: { revoke_api_keys_on_removal: boolean };
  @ApiProperty({ type: ConversationSettingsDto }) conversations!: { retention_days: number | null };
  @ApiProperty({ type: PriceSettingsDto }) prices!: { currency: string; models: ModelPrice[] };
  @ApiProperty({ type: ProviderFallbacksDto }) on_provider_failure!: ProviderFallbacks;

  static from(config: StoredTenantConfig): TenantConfigResponse {
    return {
      llm: ProviderSettingsResponse.from(config.llm),
      embedding: ProviderSettingsResponse.from(config.embedding),
      rerank: ProviderSettingsResponse.from(config.rerank),
      privacy: { store_query_text: config.privacy?.store_query_text ?? false },
      members: memberSettings(config),
      conversations: conversationSettings(config),
      prices: priceSettings(config),
      on_provider_failure: { ...DEFAULT_PROVIDER_FALLBACKS, ...config.on_provider_failure },
    };
  }
}

export class ProviderTestDto {
  @ApiProperty({ enum: CHECKABLE_PROVIDERS, description: 'Which endpoint to call once' })
  @IsIn(CHECKABLE_PROVIDERS)
  provider!: CheckableProvider;
}

export class ProviderTestResponse {
  @ApiProperty({ enum: CHECKABLE_PROVIDERS }) provider!: CheckableProvider;
  @ApiProperty({ description: 'false: nothing is set, the embedded default (or no rerank) is in use' })
  configured!: boolean;
  @ApiProperty({ description: 'Whether the call worked (true when nothing is configured)' })
  ok!: boolean;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty({ nullable: true, type: Number }) latency_ms!: number | null;
  @ApiProperty({ description: 'What came back, or what went wrong, in words (never a credential)' })
  detail!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'timeout, rate_limited, unavailable, rejected, malformed, forbidden or invalid_settings',
  })
  failure!: string | null;
}
