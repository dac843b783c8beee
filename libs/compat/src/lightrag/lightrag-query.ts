import { validateInput } from '@strata/core';
import { type PreparedQuery, QueryDto, type QueryResponse } from '@strata/query';
import type { LightRagQueryDto } from './dto/lightrag-query.dto';

/** A reference as LightRAG lists them; Strata's are per chunk, as its answers cite them ([n]). */
export interface LightRagReference {
  reference_id: string;
  file_path: string;
  document_id: string;
  /** The chunk's text, with include_chunk_content. */
  content?: string[];
}

/** The earlier messages `history_turns` keeps: a turn is a user message and what answered it. */
export function lastTurns<T extends { role: string }>(history: readonly T[], turns: number | undefined): T[] {
  if (turns === undefined) return [...history];
  if (turns === 0) return [];
  let users = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i].role === 'user' && ++users === turns) return history.slice(i);
  }
  return [...history];
}

/** LightRAG's request as Strata's query, validated under the query route's rules. */
export function strataQuery(dto: LightRagQueryDto): Promise<QueryDto> {
  const {
    history_turns,
    include_references: _references,
    include_chunk_content: _content,
    stream: _stream,
    conversation_history,
    ...same
  } = dto;
  const history = lastTurns(conversation_history ?? [], history_turns);
  return validateInput(QueryDto, {
    ...same,
    ...(history.length > 0
      ? { conversation_history: history.map(({ role, content }) => ({ role, content })) }
      : {}),
  });
}

export function lightRagReferences(
  prepared: PreparedQuery,
  dto: LightRagQueryDto,
): LightRagReference[] | null {
  if (dto.include_references === false) return null;
  return prepared.references.map((reference, i) => ({
    reference_id: String(reference.id),
    file_path: reference.title,
    document_id: reference.document_id,
    ...(dto.include_chunk_content ? { content: [prepared.chunks[i].content] } : {}),
  }));
}

/** What LightRAG answers in `response`: the answer, or the context or prompt when only those were asked for. */
export const lightRagResponseText = (answer: QueryResponse): string =>
  answer.context ?? answer.prompt ?? answer.answer ?? '';

/** `/query/data`: what retrieval found, in LightRAG's structure. */
export function lightRagData(prepared: PreparedQuery, answer: QueryResponse, dto: LightRagQueryDto) {
  return {
    status: 'success',
    message: 'Query executed successfully',
    data: {
      entities: prepared.entities.map((e) => ({
        entity_name: e.name,
        entity_type: e.type,
        description: e.description,
      })),
      relationships: prepared.relations.map((r) => ({
        src_id: r.source,
        tgt_id: r.target,
        description: r.description,
        keywords: r.keywords,
        weight: r.weight,
      })),
      chunks: prepared.chunks.map((chunk, i) => ({
        content: chunk.content,
        file_path: chunk.title,
        chunk_id: chunk.id,
        reference_id: String(i + 1),
      })),
      references: lightRagReferences(prepared, { ...dto, include_chunk_content: false }) ?? [],
    },
    metadata: {
      query_mode: answer.mode,
      keywords: {
        high_level: answer.keywords?.high_level ?? [],
        low_level: answer.keywords?.low_level ?? [],
      },
      processing_info: {
        total_entities_found: prepared.entities.length,
        total_relations_found: prepared.relations.length,
        final_chunks_count: prepared.chunks.length,
      },
    },
  };
}
