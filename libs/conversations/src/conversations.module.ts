import { Module } from '@nestjs/common';
import { QueryModule } from '@strata/query';
import { ConversationExport } from './conversation-export.service';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';
import {
  KnowledgeBaseFeedbackController,
  TurnFeedbackController,
} from './feedback/answer-feedback.controller';
import { AnswerFeedbackService } from './feedback/answer-feedback.service';
import { HiddenCitations } from './hidden-citations';

/** Conversations kept by the server, asked through the query module, and ratings of their answers. */
@Module({
  imports: [QueryModule],
  controllers: [ConversationsController, TurnFeedbackController, KnowledgeBaseFeedbackController],
  providers: [ConversationsService, ConversationExport, AnswerFeedbackService, HiddenCitations],
})
export class ConversationsModule {}
