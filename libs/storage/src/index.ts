export * from './relational/database.module';
export * from './relational/embedded-postgres';
export * from './relational/data-source-options';
export * from './relational/schema-migrator';
export * from './relational/scoped-repository';
export * from './relational/pg-errors';
export * from './relational/data-dir-lock';
