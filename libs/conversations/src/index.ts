export * from './conversations.module';
