export * from './extraction/extraction';
export * from './extraction/entity-name';
export * from './extraction/embedded-extractor';
export * from './extraction/extraction-output';
export * from './extraction/llm-extractor';
