import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BadRequest, ErrorCode } from '@strata/core';
import { GroupsRepository } from '@strata/tenants';
import { MembershipsRepository, type TenantContext } from '@strata/tenancy';
import { type DocumentAccess, namesCaller } from './access-list';
import { accessCallerOf } from './document-access.repository';

/** An access list as a request gives it: absent or null for the whole KB. */
export interface RequestedAccess {
  group_ids?: string[];
  user_ids?: string[];
}

/**
 * Checks the access lists a caller sets on documents: every group must be one of the tenant's and
 * every person one of its members (400 UNKNOWN_GROUP, UNKNOWN_MEMBER), and a caller other than a
 * tenant admin must stay on each list, by name or through a group (400
 * DOCUMENT_ACCESS_EXCLUDES_CALLER): an editor cannot hide a document from themselves by a slip.
 * The lists of one request are checked together: one read of groups, one of members, one of the
 * caller's groups, however many documents it carries.
 */
@Injectable()
export class DocumentAccessLists {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly memberships: MembershipsRepository,
  ) {}

  /** One list; null or absent (the whole KB) stays null. */
  async check(
    context: TenantContext,
    requested: RequestedAccess | null | undefined,
  ): Promise<DocumentAccess | null> {
    const [access] = await this.checkAll(context, [requested]);
    return access!;
  }

  /** Several lists, answered in their order. */
  async checkAll(
    context: TenantContext,
    requested: ReadonlyArray<RequestedAccess | null | undefined>,
  ): Promise<Array<DocumentAccess | null>> {
    const lists = requested.map((one) => (one === null || one === undefined ? null : normalised(one)));
    const given = lists.filter((list): list is DocumentAccess => list !== null);
    if (given.length === 0) return lists;
    const scope = context.scope();
    const groupIds = [...new Set(given.flatMap((list) => list.groupIds))];
    const groups = await GroupsRepository.existing(this.dataSource, scope, groupIds);
    const unknownGroup = groupIds.find((id) => !groups.has(id));
    if (unknownGroup !== undefined) {
      throw new BadRequest(ErrorCode.UNKNOWN_GROUP, `The tenant has no group ${unknownGroup}`);
    }
    const userIds = [...new Set(given.flatMap((list) => list.userIds))];
    const members = await this.memberships.members(scope, userIds);
    const unknownMember = userIds.find((id) => !members.has(id));
    if (unknownMember !== undefined) {
      throw new BadRequest(ErrorCode.UNKNOWN_MEMBER, `The tenant has no member ${unknownMember}`);
    }
    if (!context.seesEveryDocument) {
      const caller = await accessCallerOf(this.dataSource, context);
      if (!given.every((list) => namesCaller(list, caller))) {
        throw new BadRequest(
          ErrorCode.DOCUMENT_ACCESS_EXCLUDES_CALLER,
          'The access list would leave you out: name yourself or one of your groups (a tenant admin sees every document)',
        );
      }
    }
    return lists;
  }
}

/** Ids compared as the database writes them (lower case), each once. */
function normalised(requested: RequestedAccess): DocumentAccess {
  return {
    groupIds: [...new Set((requested.group_ids ?? []).map((id) => id.toLowerCase()))],
    userIds: [...new Set((requested.user_ids ?? []).map((id) => id.toLowerCase()))],
  };
}
