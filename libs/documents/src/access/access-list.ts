import type { DocumentRecord } from '../entities/document.entity';

/** Who may see a document besides tenant admins: these groups and these members. */
export interface DocumentAccess {
  groupIds: string[];
  userIds: string[];
}

/** Whom an access list is measured against: a member (or null for an API key) and their groups. */
export interface AccessCaller {
  userId: string | null;
  groupIds: ReadonlySet<string>;
}

/** Whether the list names the caller, by name or through one of their groups. */
export function namesCaller(access: DocumentAccess, caller: AccessCaller): boolean {
  if (caller.userId !== null && access.userIds.includes(caller.userId)) return true;
  return access.groupIds.some((id) => caller.groupIds.has(id));
}

/** A document's columns for an access list (null: open to the whole KB). */
export function accessColumns(
  access: DocumentAccess | null,
): Pick<DocumentRecord, 'accessRestricted' | 'accessGroupIds' | 'accessUserIds'> {
  return {
    accessRestricted: access !== null,
    accessGroupIds: access?.groupIds ?? [],
    accessUserIds: access?.userIds ?? [],
  };
}

/** The access list a document's columns hold; the inverse of accessColumns. */
export function accessOf(
  doc: Pick<DocumentRecord, 'accessRestricted' | 'accessGroupIds' | 'accessUserIds'>,
): DocumentAccess | null {
  return doc.accessRestricted ? { groupIds: doc.accessGroupIds, userIds: doc.accessUserIds } : null;
}
