import { Module } from '@nestjs/common';
import { DeletionReceiptsController } from './deletion-receipts.controller';
import { DeletionReceipts } from './deletion-receipts.service';

/** The deletion receipts' status route (the api only; the stores come from the storage modules). */
@Module({
  controllers: [DeletionReceiptsController],
  providers: [DeletionReceipts],
})
export class DeletionReceiptsModule {}
