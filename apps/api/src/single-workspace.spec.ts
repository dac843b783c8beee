import type { NextFunction, Request, Response } from 'express';
import { singleWorkspaceRoutes } from './single-workspace';

const rewrite = singleWorkspaceRoutes({ tenant: 'acme', kb: 'docs' });
const routed = (url: string): string => {
  const req = { url } as Request;
  const next = jest.fn() as NextFunction;
  rewrite(req, {} as Response, next);
  expect(next).toHaveBeenCalledTimes(1);
  return req.url;
};
const KB = '/api/v1/tenants/acme/knowledge-bases/docs';

describe('singleWorkspaceRoutes', () => {
  it.each([
    ['/api/v1/documents', `${KB}/documents`],
    ['/api/v1/documents?limit=5', `${KB}/documents?limit=5`],
    [
      '/api/v1/documents/0193a8f1-1111-7aaa-8bbb-123456789abc/chunks',
      `${KB}/documents/0193a8f1-1111-7aaa-8bbb-123456789abc/chunks`,
    ],
    ['/api/v1/query', `${KB}/query`],
    ['/api/v1/graph/labels?q=ada', `${KB}/graph/labels?q=ada`],
  ])('routes %s to the default KB', (url, expected) => {
    expect(routed(url)).toBe(expected);
  });

  it.each([
    ['/api/v1/openai/v1/models', '/api/v1/tenants/acme/openai/v1/models'],
    ['/api/v1/openai/v1/chat/completions', '/api/v1/tenants/acme/openai/v1/chat/completions'],
    ['/api/v1/ollama/api/tags', '/api/v1/tenants/acme/ollama/api/tags'],
    ['/api/chat', '/api/v1/tenants/acme/ollama/api/chat'],
    ['/api/tags', '/api/v1/tenants/acme/ollama/api/tags'],
    ['/api/version', '/api/v1/tenants/acme/ollama/api/version'],
  ])('routes %s to the default tenant', (url, expected) => {
    expect(routed(url)).toBe(expected);
  });

  it.each([
    ['/query', `${KB}/lightrag/query`],
    ['/query/stream', `${KB}/lightrag/query/stream`],
    ['/query/data', `${KB}/lightrag/query/data`],
    ['/graphs?label=*&max_depth=2', `${KB}/lightrag/graphs?label=*&max_depth=2`],
    ['/graph/label/popular?limit=10', `${KB}/lightrag/graph/label/popular?limit=10`],
    ['/graph/entity/exists?name=Ada', `${KB}/lightrag/graph/entity/exists?name=Ada`],
    ['/graph/entity/edit', `${KB}/lightrag/graph/entity/edit`],
    ['/graph/relation/edit', `${KB}/lightrag/graph/relation/edit`],
    ['/graph/entity/create', `${KB}/lightrag/graph/entity/create`],
    ['/graph/relation/create', `${KB}/lightrag/graph/relation/create`],
    ['/documents/delete_entity', `${KB}/lightrag/documents/delete_entity`],
    ['/graph/entities/merge', `${KB}/lightrag/graph/entities/merge`],
    ['/health', `${KB}/lightrag/health`],
    ['/documents', `${KB}/lightrag/documents`],
    ['/documents/text', `${KB}/lightrag/documents/text`],
    ['/documents/track_status/insert_1', `${KB}/lightrag/documents/track_status/insert_1`],
  ])('routes %s to the default KB’s LightRAG routes', (url, expected) => {
    expect(routed(url)).toBe(expected);
  });

  it.each([
    '/api/v1/documentsx',
    '/api/v1/openaix/v1/models',
    '/api/chats',
    '/queryx',
    '/graph/entity/delete',
    '/api/pull',
    '/api/v1/tenants/acme/openai/v1/models',
    '/api/v1/tenants/acme/knowledge-bases/docs/query',
    '/api/v1/auth/me',
    '/documentsx',
    '/health/ready',
    '/health/live',
    '/healthz',
  ])('leaves %s alone', (url) => {
    expect(routed(url)).toBe(url);
  });
});
