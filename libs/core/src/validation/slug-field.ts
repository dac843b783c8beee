import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { SLUG_PATTERN } from '../ids/identifiers';

const SLUG_MESSAGE = '$property must be 2-63 characters of a-z, 0-9 and -, starting with a letter or digit';

/** A slug property (tenant or KB); optional ones may be omitted. */
export function SlugField(options: { optional?: boolean; example?: string; description?: string } = {}) {
  const doc = { example: options.example, description: options.description, pattern: SLUG_PATTERN.source };
  return applyDecorators(
    ...(options.optional ? [ApiPropertyOptional(doc), IsOptional()] : [ApiProperty(doc)]),
    IsString(),
    Matches(SLUG_PATTERN, { message: SLUG_MESSAGE }),
  );
}
