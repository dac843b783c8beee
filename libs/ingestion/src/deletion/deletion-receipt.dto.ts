import { ApiProperty } from '@nestjs/swagger';

export class DeletionRemainsResponse {
  @ApiProperty({ description: 'Document rows left (a document being deleted keeps its row until the end)' })
  documents!: number;
  @ApiProperty({ description: 'Chunk rows left (their full-text postings go with them)' })
  chunks!: number;
  @ApiProperty({ description: 'Chunk vectors left in the vector store (pgvector or Qdrant)' })
  vectors!: number;
  @ApiProperty({ description: 'Entity and relation mentions left in the knowledge graph' })
  graph_mentions!: number;
  @ApiProperty({ description: 'Original uploads left in the blob store' })
  blobs!: number;
}

export class DeletionReceiptResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) knowledge_base_id!: string;
  @ApiProperty({
    enum: ['deleting', 'complete'],
    description: '`complete` once no store holds anything of the documents, as checked for this answer',
  })
  status!: 'deleting' | 'complete';
  @ApiProperty({ type: [String], format: 'uuid', description: 'The documents the request took' })
  document_ids!: string[];
  @ApiProperty({
    description: 'Who asked: `{type: user | api_key, id}`',
    example: { type: 'user', id: '00000000-0000-4000-8000-000000000000' },
  })
  requested_by!: { type: string; id: string };
  @ApiProperty() requested_at!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'When the deletion job removed the last of the documents (null before)',
  })
  completed_at!: string | null;
  @ApiProperty({ type: DeletionRemainsResponse, description: 'What each store still holds, counted now' })
  remains!: DeletionRemainsResponse;
}
