import type { TenantContext } from '../tenant-context';

/**
 * Works out which documents of a context's KB its principal may not see (their access lists leave
 * it out): implemented by the documents library, which owns the lists. Tenant resolution asks it
 * for the KB a path names; a route that reaches a KB another way (a body's KB list, a chat
 * model's name) asks it itself.
 */
export abstract class HiddenDocuments {
  /** The context, knowing its hidden documents (unchanged when none can be hidden from it). */
  abstract resolve(context: TenantContext): Promise<TenantContext>;
}
