import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MAX_MESSAGE_CHARS } from '../../chat/chat-content';

const MODEL = {
  description: 'The KB: `<slug>:latest` as /api/tags lists it (the slug or id alone works too)',
};

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
  @ApiProperty(MODEL)
  @IsString()
  @MaxLength(128)
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

  @ApiPropertyOptional({ description: 'Must be empty: the KB answers text', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(0, { message: 'images are not supported: a knowledge base answers text' })
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
  @ApiProperty(MODEL)
  @IsString()
  @MaxLength(128)
  model!: string;

  @ApiProperty({
    type: [OllamaMessageDto],
    description:
      "The conversation; the last message is the user's question. A leading /naive, /local, /global, /hybrid, /mix or /bypass chooses the query mode.",
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OllamaMessageDto)
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
  @ApiProperty(MODEL)
  @IsString()
  @MaxLength(128)
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

  @ApiPropertyOptional({ description: 'Must be empty: the KB answers text', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(0, { message: 'images are not supported: a knowledge base answers text' })
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
