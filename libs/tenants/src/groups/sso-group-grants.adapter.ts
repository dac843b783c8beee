import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SsoGroupGrants, type TenantScope } from '@strata/tenancy';
import { GroupsRepository } from './groups.repository';

/** SsoGroupGrants on the groups tables. */
@Injectable()
export class GroupsForSso extends SsoGroupGrants {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  existing(scope: TenantScope, ids: readonly string[]): Promise<Set<string>> {
    return GroupsRepository.existing(this.dataSource, scope, ids);
  }

  sync(
    manager: EntityManager,
    scope: TenantScope,
    grant: { userId: string; providerId: string; groupIds: readonly string[] },
  ): Promise<{ added: string[]; removed: string[] }> {
    return GroupsRepository.syncProviderGrants(
      manager,
      scope,
      grant.userId,
      grant.providerId,
      grant.groupIds,
    );
  }
}
