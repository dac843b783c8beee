import { hiddenDocumentsOf, type KbScope } from '@strata/tenancy';

/**
 * The condition that leaves out the documents a read scope hides (see `KbScope.hiddenDocumentIds`),
 * to add beside a statement's tenant and KB filter: `AND (column IS NULL OR NOT column = ANY($n))`
 * with the list pushed onto `params`; '' when the scope hides nothing. A row of no document (the
 * graph's vectors) stays: what it shows is filtered where it is assembled.
 */
export function withoutHiddenDocuments(scope: KbScope, params: unknown[], column: string): string {
  const hidden = hiddenDocumentsOf(scope);
  if (hidden.length === 0) return '';
  params.push([...hidden]);
  return ` AND (${column} IS NULL OR NOT ${column} = ANY($${params.length}::uuid[]))`;
}
