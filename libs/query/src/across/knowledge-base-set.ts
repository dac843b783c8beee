import { Injectable } from '@nestjs/common';
import { knowledgeBaseNotFound, parseIdOrSlug } from '@strata/core';
import { HiddenDocuments, type KbScope, KnowledgeBaseLookup, type TenantContext } from '@strata/tenancy';

/**
 * The KBs a question across KBs names, as scopes of the caller's context. A KB that does not exist
 * in the tenant, or that the caller is not assigned to, answers 404 exactly as its own routes do,
 * so naming KBs tells nothing about the ones the caller cannot see. A KB named twice is asked once.
 * Each scope hides the KB's documents the caller may not see.
 */
@Injectable()
export class KnowledgeBaseSet {
  constructor(
    private readonly lookup: KnowledgeBaseLookup,
    private readonly hiddenDocuments: HiddenDocuments,
  ) {}

  async resolve(context: TenantContext, refs: readonly string[]): Promise<KbScope[]> {
    const scopes = new Map<string, KbScope>();
    for (const raw of refs) {
      const kbId = await this.idOf(context, raw);
      if (!scopes.has(kbId)) {
        const kbContext = await this.hiddenDocuments.resolve(context.withKnowledgeBase(kbId));
        scopes.set(kbId, kbContext.kbScope());
      }
    }
    return [...scopes.values()];
  }

  /** The id of one KB named by id or slug, without working out its documents (filters, not reads). */
  async idOf(context: TenantContext, raw: string): Promise<string> {
    const ref = parseIdOrSlug(raw);
    const kb = ref && (await this.lookup.findKnowledgeBase(context.scope(), ref));
    if (!kb || !context.canSeeKnowledgeBase(kb.id)) throw knowledgeBaseNotFound();
    return kb.id;
  }
}
