import { Module } from '@nestjs/common';
import { QueryModule } from '@strata/query';
import { ConversationExport } from './conversation-export.service';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';

/** Conversations kept by the server, asked through the query module. */
@Module({
  imports: [QueryModule],
  controllers: [ConversationsController],
  providers: [ConversationsService, ConversationExport],
})
export class ConversationsModule {}
