import { SetMetadata } from '@nestjs/common';

export const AUDIT_RESOURCE_KEY = 'strata:audit_resource';
export const AUDIT_ACTION_KEY = 'strata:audit_action';

/** The resource type a controller's routes act on; actions are named `<resource>.<verb>`. */
export const AuditResource = (resourceType: string) => SetMetadata(AUDIT_RESOURCE_KEY, resourceType);

/** Overrides the derived action name of one handler (e.g. `api_key.revoke` for a DELETE). */
export const AuditAction = (action: string) => SetMetadata(AUDIT_ACTION_KEY, action);
