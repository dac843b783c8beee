import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '@strata/core';
import { FeedbackResponse } from '../feedback/dto/feedback.dto';
import {
  KnowledgeBaseRefs,
  MAX_KBS_PER_QUESTION,
  QueryDto,
  QueryReference,
  QueryResponse,
} from '@strata/query';

export const MAX_TITLE_LENGTH = 200;

export class CreateConversationDto {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: MAX_KBS_PER_QUESTION,
    description:
      'The KBs the conversation asks (uuids or slugs), each one the caller may query; the first one’s ' +
      'settings answer. A KB the caller cannot see answers 404.',
  })
  @KnowledgeBaseRefs()
  knowledge_base_ids!: string[];

  @ApiPropertyOptional({
    maxLength: MAX_TITLE_LENGTH,
    description: 'Without one, the first question names it (or "New conversation" when no text is kept)',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TITLE_LENGTH)
  title?: string;
}

export class UpdateConversationDto {
  @ApiProperty({ maxLength: MAX_TITLE_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TITLE_LENGTH)
  title!: string;
}

export class ListConversationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only conversations that ask this KB (uuid or slug)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  knowledge_base_id?: string;
}

export class ExportConversationsQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Conversations active at or after (inclusive)' })
  @IsOptional()
  @IsDateString({ strict: true })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Conversations started before (exclusive)' })
  @IsOptional()
  @IsDateString({ strict: true })
  until?: string;
}

/**
 * A question asked in a conversation: the query body of a KB's query. The server supplies the
 * history from the conversation's stored turns; `conversation_history`, when given, is used
 * instead (a tenant that keeps no text has no stored history to give).
 */
export class ConversationMessageDto extends QueryDto {}

export class ConversationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [String], description: 'The KBs it asks, the first one answering' })
  knowledge_base_ids!: string[];
  @ApiProperty() created_at!: string;
  @ApiProperty({ description: 'When it was created, renamed or last asked' }) updated_at!: string;
}

export class ConversationPageResponse {
  @ApiProperty({ type: [ConversationResponse] }) items!: ConversationResponse[];
  @ApiProperty({ nullable: true, type: String }) next_cursor!: string | null;
}

export class TurnResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null when the tenant keeps no query text' })
  question!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'null when the tenant keeps no query text' })
  answer!: string | null;
  @ApiProperty({ nullable: true, type: String }) answer_source!: string | null;
  @ApiProperty() mode!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The LLM that answered; null for extractive answers',
  })
  model!: string | null;
  @ApiProperty({
    type: [QueryReference],
    description: 'As the answer gave them (snippets left out when the tenant keeps no query text)',
  })
  references!: unknown[];
  @ApiProperty({ type: 'object', additionalProperties: true }) timings_ms!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: true }) usage!: Record<string, number>;
  @ApiProperty({
    description:
      'true when the answer cited a document you may no longer see: its text and those references are not shown',
  })
  withheld!: boolean;
  @ApiProperty() created_at!: string;
  @ApiProperty({ type: FeedbackResponse, nullable: true, description: 'The owner’s rating of the answer' })
  feedback!: FeedbackResponse | null;
}

export class ConversationDetailResponse extends ConversationResponse {
  @ApiProperty({ type: [TurnResponse], description: 'Oldest first' }) turns!: TurnResponse[];
}

export class ConversationAnswerResponse extends QueryResponse {
  @ApiProperty({ format: 'uuid' }) conversation_id!: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description:
      'The turn kept for this answer (rate it with its feedback route); null when only the context or prompt was asked for',
  })
  turn_id!: string | null;
}
