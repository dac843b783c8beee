import { applyDecorators, type Type as Class } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, MaxLength, ValidateNested } from 'class-validator';

/** Messages one conversation may hold; earlier ones are cut to the KB's history budget anyway. */
export const MAX_MESSAGES = 200;

/** A chat API's `model`: the KB, by slug or id (with an Ollama tag, where the API has them). */
export const ModelField = (description: string, example: string) =>
  applyDecorators(ApiProperty({ description, example }), IsString(), MaxLength(128));

/** A chat API's `messages`, each validated as `message`. */
export const MessagesField = (message: Class<unknown>) =>
  applyDecorators(
    ApiProperty({
      type: [message],
      description:
        "The conversation; the last message is the user's question. A leading /naive, /local, /global, /hybrid, /mix or /bypass chooses the query mode.",
    }),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_MESSAGES),
    ValidateNested({ each: true }),
    Type(() => message),
  );
