import type { OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import type { DefaultWorkspace } from '@strata/core';

/** The KB routes a single-workspace deployment (LightRAG's API shape) serves at the API's root. */
const KB_ROUTES = '(documents|query|graph)';
/** The tenant routes it serves there: the OpenAI- and Ollama-compatible APIs, whose models are the tenant's KBs. */
const TENANT_ROUTES = '(openai|ollama)';
/** Where LightRAG's server answers Ollama's API, which chat front ends configured for it call. */
const OLLAMA_ROOT_PATH = /^\/api\/(tags|chat|generate|show|version)(?=[/?]|$)/;
/** Where LightRAG's server answers documents, queries and graph reads, which scripts written for it call. */
const LIGHTRAG_ROOT_PATH =
  /^\/(health(?=[?]|$)|documents|query|graphs|graph\/(label\/(list|popular|search)|entity\/(exists|edit|create)|relation\/(edit|create)|entities\/merge))(?=[/?]|$)/;
const SHORT_KB_PATH = new RegExp(`^/api/v1/${KB_ROUTES}(?=[/?]|$)`);
const SHORT_TENANT_PATH = new RegExp(`^/api/v1/${TENANT_ROUTES}(?=[/?]|$)`);
const KB_PATH = new RegExp(`^/api/v1/tenants/\\{tenantId\\}/knowledge-bases/\\{kbId\\}/(${KB_ROUTES}\\b.*)$`);
const TENANT_PATH = new RegExp(`^/api/v1/tenants/\\{tenantId\\}/(${TENANT_ROUTES}\\b.*)$`);

/**
 * With DEFAULT_TENANT/DEFAULT_KB set, `/api/v1/documents…`, `/api/v1/query…` and `/api/v1/graph…`
 * are the same routes of that KB, `/api/v1/openai/…` and `/api/v1/ollama/…` those of that tenant,
 * `/api/chat`, `/api/generate`, `/api/tags`, `/api/show` and `/api/version` its Ollama API and
 * `/health` (not `/health/live` or `/ready`), `/documents…`, `/query…`, `/graphs`, `/graph/label/…`, `/graph/entity/{exists,edit,create}`, `/graph/relation/{edit,create}` and
 * `/graph/entities/merge` the KB's LightRAG routes, where a LightRAG
 * server has them (so its clients need only the new host and a key): the path is
 * rewritten before routing, so authentication, tenant resolution, policies, quotas and the audit
 * trail are those of the full path. A principal outside that tenant gets the 404 the full path
 * gives it.
 */
export function singleWorkspaceRoutes(workspace: DefaultWorkspace) {
  const tenantBase = `/api/v1/tenants/${workspace.tenant}/`;
  const kbBase = `${tenantBase}knowledge-bases/${workspace.kb}/`;
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (SHORT_KB_PATH.test(req.url)) req.url = kbBase + req.url.slice('/api/v1/'.length);
    else if (SHORT_TENANT_PATH.test(req.url)) req.url = tenantBase + req.url.slice('/api/v1/'.length);
    else if (OLLAMA_ROOT_PATH.test(req.url)) req.url = `${tenantBase}ollama${req.url}`;
    else if (LIGHTRAG_ROOT_PATH.test(req.url)) req.url = `${kbBase}lightrag${req.url}`;
    next();
  };
}

/** Adds the single-workspace paths to the OpenAPI document, as copies of the full ones without the tenant and KB parameters. */
export function describeSingleWorkspaceRoutes(document: OpenAPIObject, workspace: DefaultWorkspace): void {
  for (const [path, item] of Object.entries(document.paths)) {
    const match = KB_PATH.exec(path) ?? TENANT_PATH.exec(path);
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
      operation.description = `On the deployment's default ${KB_PATH.test(path) ? 'KB' : 'tenant'} (DEFAULT_TENANT=${workspace.tenant}, DEFAULT_KB=${workspace.kb}); the same as ${path}.`;
    }
    document.paths[`/api/v1/${match[1]}`] = alias;
  }
}
