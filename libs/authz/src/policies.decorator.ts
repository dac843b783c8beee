import { SetMetadata } from '@nestjs/common';
import type { TenantContext } from '@strata/tenancy';
import { type Action, type AppAbility, subject, type SubjectName } from './ability';

/** A check a handler's caller must pass; the context is null on routes outside a tenant. */
export type PolicyHandler = (ability: AppAbility, context: TenantContext | null) => boolean;

export const CHECK_POLICIES_KEY = 'strata:check_policies';
export const IS_PUBLIC_KEY = 'strata:is_public';

/** Declares what a handler requires. Handlers with neither this nor @Public() are refused. */
export const CheckPolicies = (...handlers: PolicyHandler[]) => SetMetadata(CHECK_POLICIES_KEY, handlers);

/** A route anyone may call with no credentials (login, health). */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/** For routes every authenticated principal may call (the handler itself limits what it shows). */
export const anyAuthenticated: PolicyHandler = () => true;

/**
 * Policies on a tenant-owned subject, checked against the tenant of the request:
 * `inRequestTenant('Member')('update')` passes when the caller may update members there.
 */
export const inRequestTenant =
  (name: SubjectName) =>
  (action: Action): PolicyHandler =>
  (ability, context) =>
    ability.can(action, subject(name, { tenantId: context?.tenantId }));
