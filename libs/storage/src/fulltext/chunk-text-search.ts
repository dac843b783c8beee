import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { KbScope } from '@strata/tenancy';

export interface TextHit {
  chunkId: string;
  documentId: string;
  /** ts_rank_cd of the chunk for the query; higher is better. */
  score: number;
}

/**
 * Full-text search over a KB's chunks (the `tsv` column, GIN-indexed), always filtered by tenant
 * and KB. Any of the query's words (stemmed, stop words dropped) may match; ts_rank_cd ranks
 * chunks with more of them, closer together, higher. A query with no searchable word matches nothing.
 */
@Injectable()
export class ChunkTextSearch {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(
    scope: KbScope,
    query: string,
    limit: number,
    documentIds?: readonly string[],
  ): Promise<TextHit[]> {
    if (documentIds !== undefined && documentIds.length === 0) return [];
    const params: unknown[] = [scope.tenantId, scope.kbId, query, limit];
    let documentFilter = '';
    if (documentIds !== undefined) {
      params.push([...documentIds]);
      documentFilter = 'AND c.document_id = ANY($5::uuid[])';
    }
    // OR the words together: a question rarely has every one of its words in the right chunk.
    // plainto_tsquery only ever joins lexemes with &, so swapping the operator is safe.
    const rows: Array<{ id: string; document_id: string; score: number }> = await this.dataSource.query(
      `WITH q AS (
         SELECT coalesce(
           nullif(replace(plainto_tsquery('english', $3)::text, ' & ', ' | '), '')::tsquery,
           ''::tsquery) AS query
       )
       SELECT c.id, c.document_id, ts_rank_cd(c.tsv, q.query) AS score
       FROM chunks c, q
       WHERE c.tenant_id = $1 AND c.kb_id = $2 AND c.tsv @@ q.query ${documentFilter}
       ORDER BY score DESC, c.id
       LIMIT $4`,
      params,
    );
    return rows.map((row) => ({ chunkId: row.id, documentId: row.document_id, score: Number(row.score) }));
  }
}
