import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { KnowledgeBaseConfigPatch } from '../kb-config';

export type KnowledgeBaseStatus = 'active' | 'archived';

@Entity({ name: 'knowledge_bases' })
export class KnowledgeBase {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text')
  slug!: string;

  @Column('text')
  name!: string;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('text')
  status!: KnowledgeBaseStatus;

  @Column('jsonb')
  config!: KnowledgeBaseConfigPatch;

  @Column('jsonb')
  metadata!: Record<string, unknown>;

  @Column('integer', { name: 'document_count', default: 0 })
  documentCount!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
