import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HiddenDocuments, type TenantContext } from '@strata/tenancy';
import { namesCaller } from './access-list';
import { accessCallerOf, restrictedDocuments } from './document-access.repository';

/**
 * Works out which of a KB's documents a caller may not see, so that the context's KB scope hides
 * them from every store (`KbScope.hiddenDocumentIds`). Tenant admins and jobs see every document;
 * a member or API key sees the documents open to the whole KB and the restricted ones whose lists
 * name them or one of their groups. A KB without restricted documents costs one read of an empty
 * partial index. Read on every request, not cached: a change of a group or of a list applies to
 * the next request.
 */
@Injectable()
export class DocumentVisibility extends HiddenDocuments {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async resolve(context: TenantContext): Promise<TenantContext> {
    if (context.seesEveryDocument) return context;
    const restricted = await restrictedDocuments(this.dataSource, context.kbScopeForAccessLists());
    if (restricted.length === 0) return context.hidingDocuments([]);
    const caller = await accessCallerOf(this.dataSource, context);
    const hidden = restricted.filter((doc) => !namesCaller(doc, caller));
    return context.hidingDocuments(hidden.map((doc) => doc.id));
  }
}
