import { Injectable } from '@nestjs/common';
import { defineAbility } from '@strata/authz';
import { ErrorCode, Forbidden, NotFound, parseIdOrSlug } from '@strata/core';
import { KnowledgeBaseResponse, KnowledgeBasesService } from '@strata/knowledge-bases';
import { QueryPolicies } from '@strata/query';
import { TenantContext, TenantContextService } from '@strata/tenancy';

/** Models listed at most: a chat client's picker, not an inventory (the KB list pages). */
export const MAX_MODELS = 500;
const PAGE = 100;

/** Does not repeat the name: a 404 body says nothing about what was asked for. */
export const modelNotFound = (): NotFound =>
  new NotFound(ErrorCode.KB_NOT_FOUND, 'The model does not exist or you do not have access to it');

/**
 * A tenant's KBs as the "models" of the chat APIs Strata speaks (OpenAI's, Ollama's): a model's
 * name is its KB's slug (its id works too), and a caller sees exactly the KBs they may query.
 */
@Injectable()
export class KnowledgeBaseModels {
  constructor(
    private readonly kbs: KnowledgeBasesService,
    private readonly contexts: TenantContextService,
  ) {}

  /** The KBs the caller may query in the request's tenant, oldest first. */
  async list(): Promise<KnowledgeBaseResponse[]> {
    const context = this.contexts.require();
    const models: KnowledgeBaseResponse[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.kbs.list(context, {}, cursor, PAGE);
      models.push(...page.items.filter((kb) => this.mayQuery(context.withKnowledgeBase(kb.id))));
      cursor = page.next_cursor === null ? null : page.items.at(-1)!.id;
    } while (cursor !== null && models.length < MAX_MODELS);
    return models.slice(0, MAX_MODELS);
  }

  /**
   * Makes `model`'s KB the request's KB, for the query and the audit trail. A KB the caller may
   * not see answers 404 like one that does not exist; one they see but may not query, 403.
   */
  async open(model: string): Promise<KnowledgeBaseResponse> {
    const context = this.contexts.require();
    const ref = parseIdOrSlug(model);
    const kb = ref === null ? null : await this.kbs.findVisible(context, ref);
    if (kb === null) throw modelNotFound();
    if (!this.mayQuery(context.withKnowledgeBase(kb.id))) {
      throw new Forbidden(ErrorCode.FORBIDDEN, `You may not query the model '${model}'`);
    }
    this.contexts.enterKnowledgeBase(kb.id);
    return kb;
  }

  private mayQuery(context: TenantContext): boolean {
    return QueryPolicies.run(defineAbility(context.principal, context), context);
  }
}
