export * from './extraction/extraction';
export * from './extraction/entity-name';
export * from './extraction/embedded-extractor';
export * from './extraction/extraction-output';
export * from './extraction/llm-extractor';
export * from './extraction/extractor-choice';
export * from './merge/graph-mentions.repository';
export * from './merge/merge-mentions';
export * from './merge/graph-merger.service';
export * from './graph-builder.service';
export * from './graph.module';
export * from './api/graph-api.module';
export * from './extraction/query-keywords';
export * from './api/graph-read.service';
export * from './api/graph-edit.service';
export * from './api/graph.policies';
export {
  EntityEditDto,
  MAX_DEPTH,
  MAX_NODES,
  RelationEditDto,
  type RelationResponse,
} from './api/dto/graph.dto';
export * from './visibility/visible-graph';
