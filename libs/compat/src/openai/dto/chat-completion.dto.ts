import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { type ChatContent, IsChatContent } from '../../chat/chat-content';
import { MessagesField, ModelField } from '../../chat/chat-fields';

export const CHAT_ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;

export class ChatCompletionMessageDto {
  @ApiProperty({ enum: CHAT_ROLES })
  @IsIn(CHAT_ROLES)
  role!: (typeof CHAT_ROLES)[number];

  @ApiProperty({
    description: 'Text, or a list of `{type: "text", text}` parts (other part types are refused)',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'object' } }],
    nullable: true,
  })
  @IsChatContent()
  content!: ChatContent | null;

  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  name?: string;
}

export class StreamOptionsDto {
  @ApiPropertyOptional({ description: 'End the stream with a chunk carrying `usage` and no choices' })
  @IsOptional()
  @IsBoolean()
  include_usage?: boolean;
}

/**
 * OpenAI's chat completion request. `model` names the KB; sampling parameters are accepted so
 * that clients which always send them work, and not used: the KB's and tenant's settings decide.
 */
export class ChatCompletionRequestDto {
  @ModelField('The KB to ask: its slug (or id), as /models lists it', 'handbook')
  model!: string;

  @MessagesField(ChatCompletionMessageDto)
  messages!: ChatCompletionMessageDto[];

  @ApiPropertyOptional({ description: 'Answer as Server-Sent Events of chat.completion.chunk objects' })
  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  @ApiPropertyOptional({ type: StreamOptionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StreamOptionsDto)
  stream_options?: StreamOptionsDto;

  @ApiPropertyOptional({ description: 'Only 1: a KB gives one answer' })
  @IsOptional()
  @IsIn([1])
  n?: number;

  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @IsNumber()
  temperature?: number;

  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @IsNumber()
  top_p?: number;

  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @IsInt()
  max_tokens?: number;

  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @IsInt()
  max_completion_tokens?: number;

  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @IsNumber()
  presence_penalty?: number;

  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @IsNumber()
  frequency_penalty?: number;

  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @IsInt()
  seed?: number;

  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  user?: string;
}
