import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Allow,
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { MAX_MESSAGE_CHARS } from '../../chat/chat-content';
import { MessagesField, ModelField } from '../../chat/chat-fields';

/** Ollama's `images`: accepted only empty, since a knowledge base answers text. */
const NoImages = () =>
  applyDecorators(
    ApiPropertyOptional({ description: 'Must be empty: the KB answers text', type: [String] }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(0, { message: 'images are not supported: a knowledge base answers text' }),
  );

const MODEL = 'The KB: `<slug>:latest` as /api/tags lists it (the slug or id alone works too)';

/** Fields Ollama's clients send that Strata accepts and does not use: the KB's settings decide. */
class OllamaRequestOptionsDto {
  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @IsObject()
  options?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @Allow()
  keep_alive?: unknown;

  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @Allow()
  format?: unknown;

  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @Allow()
  think?: unknown;
}

export class OllamaModelRequestDto {
  @ModelField(MODEL, 'handbook:latest')
  model!: string;
}

export const OLLAMA_ROLES = ['system', 'user', 'assistant', 'tool'] as const;

export class OllamaMessageDto {
  @ApiProperty({ enum: OLLAMA_ROLES })
  @IsIn(OLLAMA_ROLES)
  role!: (typeof OLLAMA_ROLES)[number];

  @ApiProperty({ maxLength: MAX_MESSAGE_CHARS })
  @IsString()
  @MaxLength(MAX_MESSAGE_CHARS)
  content!: string;

  @NoImages()
  images?: string[];

  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @Allow()
  thinking?: unknown;

  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @Allow()
  tool_calls?: unknown;
}

export class OllamaChatRequestDto extends OllamaRequestOptionsDto {
  @ModelField(MODEL, 'handbook:latest')
  model!: string;

  @MessagesField(OllamaMessageDto)
  messages!: OllamaMessageDto[];

  @ApiPropertyOptional({
    description: 'Stream NDJSON lines (the default, as in Ollama); false answers one object',
  })
  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @Allow()
  tools?: unknown;
}

export class OllamaGenerateRequestDto extends OllamaRequestOptionsDto {
  @ModelField(MODEL, 'handbook:latest')
  model!: string;

  @ApiPropertyOptional({
    description: 'The question (a /mode prefix chooses the mode); empty only checks that the model is there',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_MESSAGE_CHARS)
  prompt?: string;

  @ApiPropertyOptional({
    description: 'Stream NDJSON lines (the default, as in Ollama); false answers one object',
  })
  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  @ApiPropertyOptional({ description: 'Accepted, not used: the KB answer prompt holds' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_MESSAGE_CHARS)
  system?: string;

  @NoImages()
  images?: string[];

  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @Allow()
  raw?: unknown;

  @ApiPropertyOptional({ description: 'Accepted, not used' })
  @IsOptional()
  @Allow()
  context?: unknown;
}
