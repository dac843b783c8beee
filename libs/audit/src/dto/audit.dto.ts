import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '@strata/core';
import type { AuditEvent } from '../audit-event.entity';

const OUTCOMES = ['success', 'denied', 'error'] as const;

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'knowledge_base.delete' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;
  @ApiPropertyOptional({ description: 'user or API key id' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  actor_id?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() kb_id?: string;
  @ApiPropertyOptional({ enum: OUTCOMES }) @IsOptional() @IsIn(OUTCOMES) outcome?: (typeof OUTCOMES)[number];
  @ApiPropertyOptional({ format: 'date-time', description: 'inclusive' })
  @IsOptional()
  @IsDateString({ strict: true })
  from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'exclusive' })
  @IsOptional()
  @IsDateString({ strict: true })
  to?: string;
  @ApiPropertyOptional({
    enum: ['asc', 'desc'],
    default: 'asc',
    description: 'asc: oldest first, as the hash chain runs; desc: newest first (a cursor keeps its order)',
  })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
  @ApiPropertyOptional({
    enum: ['json', 'ndjson'],
    default: 'json',
    description: 'ndjson exports every match, one event a line',
  })
  @IsOptional()
  @IsIn(['json', 'ndjson'])
  format?: 'json' | 'ndjson';
}

export class AuditEventResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Position in the tenant’s hash chain' }) seq!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ nullable: true, type: String }) tenant_id!: string | null;
  @ApiProperty({ nullable: true, type: String }) kb_id!: string | null;
  @ApiProperty({ enum: ['user', 'api_key', 'system', 'anonymous'] }) actor_type!: string;
  @ApiProperty({ nullable: true, type: String }) actor_id!: string | null;
  @ApiProperty({ example: 'knowledge_base.create' }) action!: string;
  @ApiProperty({ nullable: true, type: String }) resource_type!: string | null;
  @ApiProperty({ nullable: true, type: String }) resource_id!: string | null;
  @ApiProperty({ enum: OUTCOMES }) outcome!: string;
  @ApiProperty({ nullable: true, type: String }) request_id!: string | null;
  @ApiProperty({ nullable: true, type: String }) ip!: string | null;
  @ApiProperty({ nullable: true, type: String }) user_agent!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) prev_hash!: string | null;
  @ApiProperty() hash!: string;

  static from(e: AuditEvent): AuditEventResponse {
    return {
      id: e.id,
      seq: String(e.seq),
      at: e.at.toISOString(),
      tenant_id: e.tenantId,
      kb_id: e.kbId,
      actor_type: e.actorType,
      actor_id: e.actorId,
      action: e.action,
      resource_type: e.resourceType,
      resource_id: e.resourceId,
      outcome: e.outcome,
      request_id: e.requestId,
      ip: e.ip,
      user_agent: e.userAgent,
      details: e.details,
      prev_hash: e.prevHash,
      hash: e.hash,
    };
  }
}

export class AuditPageResponse {
  @ApiProperty({ type: [AuditEventResponse] }) items!: AuditEventResponse[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}
