import { Injectable } from '@nestjs/common';
import { defineAbility } from '@strata/authz';
import { BadRequest, ErrorCode, Forbidden, NotFound, parseIdOrSlug } from '@strata/core';
import { KnowledgeBaseResponse, KnowledgeBasesService } from '@strata/knowledge-bases';
import { MAX_KBS_PER_QUESTION, QueryPolicies } from '@strata/query';
import { HiddenDocuments, type KbScope, TenantContext, TenantContextService } from '@strata/tenancy';

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
    private readonly hiddenDocuments: HiddenDocuments,
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
    const kb = await this.find(model);
    await this.enter(kb.id);
    return kb;
  }

  /**
   * A model naming several KBs joined by `+` (`contracts+policies`) asks them all, as
   * `POST /tenants/{t}/query` does; one name is one KB. Each must be a KB the caller may query
   * (404 or 403 as in `open`); the first becomes the request's KB. Answers their scopes in order.
   */
  async openAll(model: string): Promise<KbScope[]> {
    const names = model.split('+');
    if (names.length > MAX_KBS_PER_QUESTION) {
      throw new BadRequest(
        ErrorCode.VALIDATION_FAILED,
        `a model names at most ${MAX_KBS_PER_QUESTION} knowledge bases joined by +`,
      );
    }
    const kbs: KnowledgeBaseResponse[] = [];
    for (const name of names) kbs.push(await this.find(name));
    const context = await this.enter(kbs[0].id);
    const ids = [...new Set(kbs.map((kb) => kb.id))];
    const contexts = await Promise.all(
      ids.map((id) => this.hiddenDocuments.resolve(context.withKnowledgeBase(id))),
    );
    return contexts.map((kbContext) => kbContext.kbScope());
  }

  /** Makes the KB the request's, knowing which of its documents the caller may not see. */
  private async enter(kbId: string): Promise<TenantContext> {
    const narrowed = await this.hiddenDocuments.resolve(this.contexts.require().withKnowledgeBase(kbId));
    return this.contexts.enterKnowledgeBase(narrowed);
  }

  private async find(model: string): Promise<KnowledgeBaseResponse> {
    const context = this.contexts.require();
    const ref = parseIdOrSlug(model);
    const kb = ref === null ? null : await this.kbs.findVisible(context, ref);
    if (kb === null) throw modelNotFound();
    if (!this.mayQuery(context.withKnowledgeBase(kb.id))) {
      throw new Forbidden(ErrorCode.FORBIDDEN, `You may not query the model '${model}'`);
    }
    return kb;
  }

  private mayQuery(context: TenantContext): boolean {
    return QueryPolicies.run(defineAbility(context.principal, context), context);
  }
}
