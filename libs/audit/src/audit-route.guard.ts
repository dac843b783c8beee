import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ClsService } from 'nestjs-cls';
import { AUDIT_ACTION_KEY, AUDIT_RESOURCE_KEY } from './audit.decorators';

export const AUDIT_ROUTE_KEY = 'strata.auditRoute';

/** The audit name of the route a request reached. */
export interface AuditRoute {
  action: string;
  resourceType: string | null;
}

const VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' };

/** `<resource>.<verb>`; a GET is `read` on an item route (`…/:id`) and `list` on a collection. */
export function deriveAuditAction(resourceType: string, method: string, routePath: string): string {
  const verb = VERBS[method] ?? (/:\w+$/.test(routePath) ? 'read' : 'list');
  return `${resourceType}.${verb}`;
}

/**
 * Runs first on every route and only remembers the route's audit name for the request, so that a
 * denial by a later guard can be recorded under the action that was attempted. Never refuses.
 */
@Injectable()
export class AuditRouteGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly cls: ClsService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const resourceType =
      this.reflector.get<string | undefined>(AUDIT_RESOURCE_KEY, context.getClass()) ?? null;
    const override = this.reflector.get<string | undefined>(AUDIT_ACTION_KEY, context.getHandler());
    const method = context.switchToHttp().getRequest<Request>().method;
    const routePath = String(Reflect.getMetadata(PATH_METADATA, context.getHandler()) ?? '');
    const action = override ?? (resourceType ? deriveAuditAction(resourceType, method, routePath) : null);
    if (action !== null && this.cls.isActive()) {
      this.cls.set<AuditRoute>(AUDIT_ROUTE_KEY, { action, resourceType });
    }
    return true;
  }
}
