import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import type { ApiKeyPrincipal } from '@strata/tenancy';
import { API_KEY_PREFIX } from './api-key-secret';
import { ApiKeysService } from './api-keys.service';

/** The key a request presents: `X-API-Key: sk_…` or `Authorization: Bearer sk_…`. */
export function presentedApiKey(request: Request): string | null {
  const header = request.header('x-api-key');
  if (header) return header.trim();
  const authorization = request.header('authorization') ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  return bearer?.startsWith(API_KEY_PREFIX) ? bearer : null;
}

/** Authenticates API keys; a request without one falls through to the JWT strategy. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(private readonly apiKeys: ApiKeysService) {
    super();
  }

  async validate(request: Request): Promise<ApiKeyPrincipal | false> {
    const key = presentedApiKey(request);
    if (key === null) return false;
    return (await this.apiKeys.authenticate(key)) ?? false;
  }
}
