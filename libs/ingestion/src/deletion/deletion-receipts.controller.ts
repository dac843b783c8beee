import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiDefaultResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuditAction, AuditResource } from '@strata/audit';
import { CheckPolicies } from '@strata/authz';
import { ErrorResponse } from '@strata/core';
import { DocumentPolicies } from '@strata/documents';
import { KB_PARAM } from '@strata/knowledge-bases';
import { TENANT_PARAM } from '@strata/tenants';
import { TenantContextService } from '@strata/tenancy';
import { DeletionReceiptResponse } from './deletion-receipt.dto';
import { DeletionReceipts } from './deletion-receipts.service';

@ApiTags('documents')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@ApiBearerAuth()
@ApiParam(TENANT_PARAM)
@ApiParam(KB_PARAM)
@AuditResource('document')
@Controller('tenants/:tenantId/knowledge-bases/:kbId/deletions')
export class DeletionReceiptsController {
  constructor(
    private readonly receipts: DeletionReceipts,
    private readonly contexts: TenantContextService,
  ) {}

  @Get(':deletionId')
  @ApiParam({ name: 'deletionId', description: 'The `deletion_id` a delete answered' })
  @AuditAction('document.deletion.read')
  @CheckPolicies(DocumentPolicies.delete)
  @ApiOperation({
    summary: 'What each store still holds of the documents a delete request took (needs delete_documents)',
    description:
      'Counted at every call: document and chunk rows, chunk vectors, graph mentions and original uploads. ' +
      '`status` is `complete` once all are zero. The one who asked reads a receipt, and tenant admins; ' +
      'anyone else gets 404 DELETION_NOT_FOUND.',
  })
  @ApiOkResponse({ type: DeletionReceiptResponse })
  read(@Param('deletionId') deletionId: string): Promise<DeletionReceiptResponse> {
    return this.receipts.read(this.contexts.require(), deletionId);
  }
}
