import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { pathParam } from './path-param';
import { BadRequest, ErrorCode, parseIdOrSlug, UUID_PATTERN } from '@strata/core';

/** Path parameters that name a tenant or KB: a uuid or a slug. */
export const REF_PARAMS = ['tenantId', 'kbId'] as const;
/** Path parameters that must be a uuid. */
export const UUID_PARAMS = [
  'userId',
  'keyId',
  'docId',
  'relationId',
  'sessionId',
  'providerId',
  'conversationId',
  'turnId',
  'groupId',
  'deletionId',
] as const;

/**
 * Step 1 of the request path: malformed tenant/KB/user ids are a 400 before anything is looked
 * up or even authenticated, so odd input never reaches a query.
 */
@Injectable()
export class PathParamsGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    for (const name of REF_PARAMS) {
      const value = pathParam(request, name);
      if (value !== undefined && parseIdOrSlug(value) === null) {
        throw new BadRequest(ErrorCode.INVALID_ID, `${name} must be a uuid or a slug (a-z, 0-9, -)`);
      }
    }
    for (const name of UUID_PARAMS) {
      const value = pathParam(request, name);
      if (value !== undefined && !UUID_PATTERN.test(value)) {
        throw new BadRequest(ErrorCode.INVALID_ID, `${name} must be a uuid`);
      }
    }
    return true;
  }
}
