import { type SqlRunner, withoutHiddenDocuments } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import type { DocumentStatus, GraphStatus } from '../entities/document.entity';

/** What a KB's document list can be ordered by. */
export const DOCUMENT_SORTS = ['created_at', 'updated_at', 'title', 'status', 'size_bytes'] as const;
export type DocumentSort = (typeof DOCUMENT_SORTS)[number];

/** Which of a KB's documents a list or a bulk change takes. */
export interface DocumentSelection {
  status?: DocumentStatus;
  graphStatus?: GraphStatus;
  /** Words the title or file name contains, whatever the case. */
  q?: string;
  /** Documents whose metadata contains this JSON. */
  metadata?: Record<string, unknown>;
  createdBefore?: Date;
  createdAfter?: Date;
}

/**
 * The conditions of a selection, after the tenant and KB filter (`$1`, `$2`) and leaving out the
 * documents the scope hides; parameters are pushed onto `params`.
 */
export function selectionWhere(scope: KbScope, selection: DocumentSelection, params: unknown[]): string {
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const conditions = ['d.tenant_id = $1', 'd.kb_id = $2'];
  conditions.push(selection.status ? `d.status = ${add(selection.status)}` : `d.status <> 'deleting'`);
  if (selection.graphStatus) conditions.push(`d.graph_status = ${add(selection.graphStatus)}`);
  if (selection.q) {
    const pattern = add(`%${selection.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    conditions.push(`(d.title ILIKE ${pattern} OR d.source_name ILIKE ${pattern})`);
  }
  if (selection.metadata) conditions.push(`d.metadata @> ${add(JSON.stringify(selection.metadata))}::jsonb`);
  if (selection.createdBefore) conditions.push(`d.created_at < ${add(selection.createdBefore)}`);
  if (selection.createdAfter) conditions.push(`d.created_at >= ${add(selection.createdAfter)}`);
  return conditions.join(' AND ') + withoutHiddenDocuments(scope, params, 'd.id');
}

/**
 * A page of the KB's documents the selection takes, ordered by `sort` then id, after the document
 * `afterId` (the cursor: the page continues from where that document stands in the order, so
 * documents added or changed meanwhile do not shift it; one whose cursor document was deleted
 * meanwhile ends). Answers the documents' ids in order.
 */
export async function pageDocumentIds(
  db: SqlRunner,
  scope: KbScope,
  selection: DocumentSelection,
  order: { sort: DocumentSort; direction: 'asc' | 'desc' },
  afterId: string | null,
  take: number,
): Promise<string[]> {
  const params: unknown[] = [scope.tenantId, scope.kbId];
  const where = selectionWhere(scope, selection, params);
  // Titles in the order people read them, whatever the database's collation does with case.
  const column = order.sort === 'title' ? 'lower(d.title)' : `d.${order.sort}`;
  const direction = order.direction === 'desc' ? 'DESC' : 'ASC';
  const comparison = direction === 'DESC' ? '<' : '>';
  let after = '';
  if (afterId !== null) {
    params.push(afterId);
    const cursor = `$${params.length}::uuid`;
    after = ` AND (${column}, d.id) ${comparison} (SELECT ${column}, d.id FROM documents d
      WHERE d.tenant_id = $1 AND d.kb_id = $2 AND d.id = ${cursor})`;
  }
  params.push(take);
  const rows = (await db.query(
    `SELECT d.id FROM documents d WHERE ${where}${after}
     ORDER BY ${column} ${direction}, d.id ${direction} LIMIT $${params.length}`,
    params,
  )) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

/** The ids of the KB's documents the selection takes (at most `limit`), oldest first. */
export async function selectedDocumentIds(
  db: SqlRunner,
  scope: KbScope,
  selection: DocumentSelection,
  limit: number,
): Promise<string[]> {
  const params: unknown[] = [scope.tenantId, scope.kbId];
  const where = selectionWhere(scope, selection, params);
  params.push(limit);
  const rows = (await db.query(
    `SELECT d.id FROM documents d WHERE ${where} ORDER BY d.created_at, d.id LIMIT $${params.length}`,
    params,
  )) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}
