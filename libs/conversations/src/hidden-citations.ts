import { Injectable } from '@nestjs/common';
import { HiddenDocuments, type TenantContext } from '@strata/tenancy';

/**
 * The documents of some KBs that are hidden from a caller, as one set: what stored answers may
 * have cited before an access list changed (or, in a KB's feedback list, what another person's
 * answer cited). Read as tenant resolution reads a path KB's, on every call.
 */
@Injectable()
export class HiddenCitations {
  constructor(private readonly hiddenDocuments: HiddenDocuments) {}

  async of(context: TenantContext, kbIds: readonly string[]): Promise<ReadonlySet<string>> {
    if (context.seesEveryDocument) return new Set();
    const hidden = await Promise.all(
      [...new Set(kbIds)].map(
        async (kbId) =>
          (await this.hiddenDocuments.resolve(context.withKnowledgeBase(kbId))).hiddenDocumentIds ?? [],
      ),
    );
    return new Set(hidden.flat());
  }
}

/** Whether stored references (as answers gave them: `document_id` on each) cite a hidden document. */
export function citesHidden(references: readonly unknown[], hidden: ReadonlySet<string>): boolean {
  return hidden.size > 0 && references.some((reference) => hidden.has(documentOf(reference)));
}

/**
 * A stored answer as the caller may see it now: one that cited a document hidden from them keeps
 * its question, loses its text and the references to hidden documents, and says it was withheld.
 */
export function withholdingHidden<T extends { answer: string | null; references: unknown[] }>(
  turn: T,
  hidden: ReadonlySet<string>,
): T & { withheld: boolean } {
  if (!citesHidden(turn.references, hidden)) return { ...turn, withheld: false };
  return {
    ...turn,
    answer: null,
    references: turn.references.filter((reference) => !hidden.has(documentOf(reference))),
    withheld: true,
  };
}

const documentOf = (reference: unknown): string =>
  typeof reference === 'object' && reference !== null
    ? String((reference as { document_id?: unknown }).document_id ?? '')
    : '';
