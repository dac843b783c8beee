import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, MaxLength } from 'class-validator';
import { QueryDto } from '../dto/query.dto';

/** The most KBs one question may be asked of: each is a retrieval of its own. */
export const MAX_KBS_PER_QUESTION = 20;

/** A list of 1 to MAX_KBS_PER_QUESTION KB references (uuids or slugs), as the body fields naming KBs take. */
export const KnowledgeBaseRefs = () =>
  applyDecorators(
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_KBS_PER_QUESTION),
    IsString({ each: true }),
    MaxLength(64, { each: true }),
  );

export class CrossKbQueryDto extends QueryDto {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: MAX_KBS_PER_QUESTION,
    description:
      'The KBs to ask (uuids or slugs), each one the caller may query; the first one’s settings answer ' +
      '(LLM, token budgets, response type). A KB the caller cannot see answers 404.',
  })
  @KnowledgeBaseRefs()
  knowledge_base_ids!: string[];
}
