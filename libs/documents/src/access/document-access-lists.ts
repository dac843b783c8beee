import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BadRequest, ErrorCode } from '@strata/core';
import { GroupsRepository } from '@strata/tenants';
import { MembershipsRepository, type TenantContext } from '@strata/tenancy';
import type { DocumentAccess } from './document-access.repository';

/** An access list as a request gives it: absent or null for the whole KB. */
export interface RequestedAccess {
  group_ids?: string[];
  user_ids?: string[];
}

/**
 * Checks an access list a caller sets on a document: every group must be one of the tenant's and
 * every person one of its members (400 UNKNOWN_GROUP, UNKNOWN_MEMBER), and a caller other than a
 * tenant admin must stay on it, by name or through a group (400 DOCUMENT_ACCESS_EXCLUDES_CALLER):
 * an editor cannot hide a document from themselves by a slip.
 */
@Injectable()
export class DocumentAccessLists {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly memberships: MembershipsRepository,
  ) {}

  async check(
    context: TenantContext,
    requested: RequestedAccess | null | undefined,
  ): Promise<DocumentAccess | null> {
    if (requested === null || requested === undefined) return null;
    const access: DocumentAccess = {
      groupIds: [...new Set((requested.group_ids ?? []).map((id) => id.toLowerCase()))],
      userIds: [...new Set((requested.user_ids ?? []).map((id) => id.toLowerCase()))],
    };
    const scope = context.scope();
    const groups = await GroupsRepository.existing(this.dataSource, scope, access.groupIds);
    const unknownGroup = access.groupIds.find((id) => !groups.has(id));
    if (unknownGroup !== undefined) {
      throw new BadRequest(ErrorCode.UNKNOWN_GROUP, `The tenant has no group ${unknownGroup}`);
    }
    for (const userId of access.userIds) {
      if ((await this.memberships.find(scope, userId)) === null) {
        throw new BadRequest(ErrorCode.UNKNOWN_MEMBER, `The tenant has no member ${userId}`);
      }
    }
    if (!context.seesEveryDocument && !(await this.names(context, access))) {
      throw new BadRequest(
        ErrorCode.DOCUMENT_ACCESS_EXCLUDES_CALLER,
        'The access list would leave you out: name yourself or one of your groups (a tenant admin sees every document)',
      );
    }
    return access;
  }

  private async names(context: TenantContext, access: DocumentAccess): Promise<boolean> {
    const { principal } = context;
    if (principal.type === 'user' && access.userIds.includes(principal.id)) return true;
    const mine = await GroupsRepository.groupsOf(this.dataSource, context.scope(), principal);
    return mine.some((id) => access.groupIds.includes(id));
  }
}
