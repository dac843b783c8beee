export * from './ingestion.module';
export * from './pipeline/job-runner';
export * from './parsing/parse-document';
export * from './parsing/parse-error';
export * from './chunking/token-chunker';
export * from './import/lightrag/lightrag-dataset';
export * from './import/lightrag/lightrag-importer';
export * from './import/lightrag/lightrag-import.module';
