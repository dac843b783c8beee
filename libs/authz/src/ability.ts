import {
  AbilityBuilder,
  createMongoAbility,
  ForcedSubject,
  MongoAbility,
  MongoQuery,
  subject as asSubject,
} from '@casl/ability';
import type { Principal, TenantContext } from '@strata/tenancy';

export type Action = 'list' | 'create' | 'read' | 'update' | 'delete' | 'export';
export type SubjectName =
  | 'Tenant'
  | 'Member'
  | 'Group'
  | 'Invitation'
  | 'KnowledgeBase'
  | 'Document'
  | 'Graph'
  | 'Query'
  | 'Conversation'
  | 'Feedback'
  | 'ApiKey'
  | 'Audit'
  | 'TenantConfig'
  | 'Usage'
  | 'Account'
  | 'IdentityProvider'
  | 'Session'
  | 'Password';
/** The fields rules match on; every tenant-owned subject carries its tenant. */
export interface SubjectFields {
  id?: string;
  tenantId?: string;
  /** The KB a Document or Graph belongs to. */
  kbId?: string;
}
type SubjectInstance = ForcedSubject<SubjectName> & SubjectFields;
export type AppAbility = MongoAbility<[Action, SubjectName | SubjectInstance], MongoQuery>;

const CRUD: Action[] = ['create', 'read', 'update', 'delete'];

/** A subject instance for conditional rules, e.g. subject('KnowledgeBase', { id, tenantId }). */
export const subject = (name: SubjectName, fields: SubjectFields): SubjectInstance =>
  asSubject(name, { ...fields });

/**
 * The rules of DESIGN.md section 3. Platform admins run tenants but do not read their content;
 * within a tenant the membership role decides, narrowed by its KB assignment and permission flags.
 */
export function defineAbility(principal: Principal, context: TenantContext | null): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  // CASL cannot infer condition fields for string subject names; our conditions use SubjectFields.
  const can = builder.can as (
    action: Action | Action[],
    subject: SubjectName,
    conditions?: MongoQuery,
  ) => void;

  can('list', 'Tenant');
  // A person's own sign-ins and password; an API key has neither (the services scope to the caller).
  if (principal.type === 'user') {
    can(['list', 'delete'], 'Session');
    can('update', 'Password');
  }
  if (principal.platformAdmin) {
    can(CRUD, 'Tenant');
    // Operators add and repair a tenant's members directly (the first tenant admin comes from
    // here); they see every account anyway.
    can(['list', ...CRUD], 'Member');
    can(['list', 'create', 'read', 'delete'], 'Invitation');
    can('read', 'Usage');
    // Accounts are deployment-wide: only operators list them, unlock one that failed logins
    // locked, disable or enable one, or issue a password reset.
    can(['list', 'read', 'update'], 'Account');
    // Single sign-on is deployment-wide too: which providers, and which groups become members where.
    can(['list', ...CRUD], 'IdentityProvider');
  }

  if (context !== null && context.role !== null) {
    const inTenant = { tenantId: context.tenantId };
    const inAssignedKbs =
      context.kbIds === null ? inTenant : { ...inTenant, id: { $in: [...context.kbIds] } };
    can('read', 'Tenant', { id: context.tenantId });
    can('list', 'KnowledgeBase', inTenant);
    can('read', 'KnowledgeBase', inAssignedKbs);
    if (context.permissions.create_kb) can('create', 'KnowledgeBase', inTenant);
    const documentsInAssignedKbs =
      context.kbIds === null ? inTenant : { ...inTenant, kbId: { $in: [...context.kbIds] } };
    can(['list', 'read'], 'Document', documentsInAssignedKbs);
    can('read', 'Graph', documentsInAssignedKbs);
    if (context.permissions.run_queries) {
      can('create', 'Query', documentsInAssignedKbs);
      // Their own conversations (the service keeps each to its owner and their KBs).
      can(['list', ...CRUD], 'Conversation', inTenant);
    }
    if (context.role !== 'viewer') {
      can(['create', 'update'], 'Document', documentsInAssignedKbs);
      can('update', 'Graph', documentsInAssignedKbs);
      // The ratings people gave answers from the KBs they edit.
      can('list', 'Feedback', documentsInAssignedKbs);
      // Editors name groups in the access lists of the documents they add.
      can(['list', 'read'], 'Group', inTenant);
      if (context.permissions.delete_documents) can('delete', 'Document', documentsInAssignedKbs);
    }
    if (context.role === 'admin') {
      // Tenant admins invite: adding an account directly would tell them which emails have one
      // and pull another tenant's user in without their consent.
      can(['list', 'read', 'update', 'delete'], 'Member', inTenant);
      can(['list', 'create', 'read', 'delete'], 'Invitation', inTenant);
      can(['list', ...CRUD], 'Group', inTenant);
      can(['list', ...CRUD], 'ApiKey', inTenant);
      can('read', 'Audit', inTenant);
      can(['read', 'update'], 'TenantConfig', inTenant);
      // Every member's conversations, for compliance.
      can('export', 'Conversation', inTenant);
      can('read', 'Usage', inTenant);
      can(['update', 'delete'], 'KnowledgeBase', inTenant);
    }
  }
  return builder.build();
}
