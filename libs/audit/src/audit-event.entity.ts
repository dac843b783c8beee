import { Column, Entity, PrimaryColumn } from 'typeorm';

export type AuditActorType = 'user' | 'api_key' | 'system' | 'anonymous';
export type AuditOutcome = 'success' | 'denied' | 'error';

@Entity({ name: 'audit_events' })
export class AuditEvent {
  @PrimaryColumn('uuid') id!: string;
  /** The hash chain the row belongs to: its tenant id, or 'platform'. */
  @Column('text') chain!: string;
  @Column('bigint') seq!: string;
  @Column('timestamptz') at!: Date;
  @Column('uuid', { name: 'tenant_id', nullable: true }) tenantId!: string | null;
  @Column('uuid', { name: 'kb_id', nullable: true }) kbId!: string | null;
  @Column('text', { name: 'actor_type' }) actorType!: AuditActorType;
  @Column('text', { name: 'actor_id', nullable: true }) actorId!: string | null;
  @Column('text') action!: string;
  @Column('text', { name: 'resource_type', nullable: true }) resourceType!: string | null;
  @Column('text', { name: 'resource_id', nullable: true }) resourceId!: string | null;
  @Column('text') outcome!: AuditOutcome;
  @Column('text', { name: 'request_id', nullable: true }) requestId!: string | null;
  @Column('text', { nullable: true }) ip!: string | null;
  @Column('text', { name: 'user_agent', nullable: true }) userAgent!: string | null;
  @Column('jsonb') details!: Record<string, unknown>;
  @Column('char', { name: 'prev_hash', length: 64, nullable: true }) prevHash!: string | null;
  @Column('char', { length: 64 }) hash!: string;
  /** How `hash` was made: see AUDIT_HASH_VERSION. */
  @Column('smallint', { name: 'hash_version' }) hashVersion!: number;
}
