import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const DOCUMENT_STATUSES = ['pending', 'processing', 'processed', 'failed', 'deleting'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/**
 * The knowledge-graph stage of a processed document, built after it became searchable:
 * `skipped` when its KB does not extract a graph.
 */
export const GRAPH_STATUSES = ['pending', 'building', 'done', 'failed', 'skipped'] as const;
export type GraphStatus = (typeof GRAPH_STATUSES)[number];

const bigintAsNumber = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

@Entity({ name: 'documents' })
export class DocumentRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'kb_id' }) kbId!: string;
  @Column('text') title!: string;
  @Column('text', { name: 'source_name', nullable: true }) sourceName!: string | null;
  @Column('text', { name: 'mime_type' }) mimeType!: string;
  @Column('bigint', { name: 'size_bytes', transformer: bigintAsNumber }) sizeBytes!: number;
  @Column('text', { name: 'source_hash' }) sourceHash!: string;
  @Column('text', { name: 'content_hash', nullable: true }) contentHash!: string | null;
  @Column('text', { name: 'blob_key' }) blobKey!: string;
  @Column('text') status!: DocumentStatus;
  @Column('smallint') progress!: number;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('integer', { name: 'chunk_count' }) chunkCount!: number;
  @Column('integer', { name: 'token_count' }) tokenCount!: number;
  @Column('jsonb') metadata!: Record<string, unknown>;
  /** Visible only to the groups and people below (and tenant admins); false: to the whole KB. */
  @Column('boolean', { name: 'access_restricted' }) accessRestricted!: boolean;
  @Column('uuid', { name: 'access_group_ids', array: true }) accessGroupIds!: string[];
  @Column('uuid', { name: 'access_user_ids', array: true }) accessUserIds!: string[];
  /** Shared by the documents one request added (see the document-track-ids migration). */
  @Column('text', { name: 'track_id', nullable: true }) trackId!: string | null;
  @Column('integer') attempts!: number;
  @Column('text', { name: 'graph_status' }) graphStatus!: GraphStatus;
  @Column('text', { name: 'graph_error', nullable: true }) graphError!: string | null;
  @Column('integer', { name: 'graph_attempts' }) graphAttempts!: number;
  @Column('timestamptz', { name: 'lease_expires_at', nullable: true }) leaseExpiresAt!: Date | null;
  @Column('timestamptz', { name: 'processed_at', nullable: true }) processedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
