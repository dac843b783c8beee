export * from './ingestion.module';
export * from './pipeline/job-runner';
export * from './parsing/parse-document';
export * from './parsing/parse-error';
export * from './chunking/token-chunker';
export * from './chunking/tokenizer';
