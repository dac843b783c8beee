import type { OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import type { DefaultWorkspace } from '@strata/core';

/** The KB routes a single-workspace deployment (LightRAG's API shape) serves at the API's root. */
const ROUTES = '(documents|query|graph)';
const SINGLE_WORKSPACE_PATH = new RegExp(`^/api/v1/${ROUTES}(?=[/?]|$)`);
const KB_PATH = new RegExp(`^/api/v1/tenants/\\{tenantId\\}/knowledge-bases/\\{kbId\\}/(${ROUTES}\\b.*)$`);

/**
 * With DEFAULT_TENANT/DEFAULT_KB set, `/api/v1/documents…`, `/api/v1/query…` and `/api/v1/graph…`
 * are the same routes of that KB: the path is rewritten before routing, so authentication,
 * tenant resolution, policies, quotas and the audit trail are those of the full path. A principal
 * outside that tenant gets the 404 the full path gives it.
 */
export function singleWorkspaceRoutes(workspace: DefaultWorkspace) {
  const base = `/api/v1/tenants/${workspace.tenant}/knowledge-bases/${workspace.kb}/`;
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (SINGLE_WORKSPACE_PATH.test(req.url)) req.url = base + req.url.slice('/api/v1/'.length);
    next();
  };
}

/** Adds the single-workspace paths to the OpenAPI document, as copies of the KB's without the tenant and KB parameters. */
export function describeSingleWorkspaceRoutes(document: OpenAPIObject, workspace: DefaultWorkspace): void {
  for (const [path, item] of Object.entries(document.paths)) {
    const match = KB_PATH.exec(path);
    if (!match) continue;
    const alias = JSON.parse(JSON.stringify(item)) as Record<string, Record<string, unknown>>;
    for (const operation of Object.values(alias)) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      const parameters = (operation.parameters as Array<{ name: string; in: string }> | undefined) ?? [];
      operation.parameters = parameters.filter(
        (p) => !(p.in === 'path' && (p.name === 'tenantId' || p.name === 'kbId')),
      );
      if (typeof operation.operationId === 'string')
        operation.operationId = `${operation.operationId}_defaultWorkspace`;
      operation.tags = ['single workspace'];
      operation.description = `On the deployment's default KB (DEFAULT_TENANT=${workspace.tenant}, DEFAULT_KB=${workspace.kb}); the same as ${path}.`;
    }
    document.paths[`/api/v1/${match[1]}`] = alias;
  }
}
