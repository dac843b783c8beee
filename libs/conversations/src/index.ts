export * from './conversations.module';
export * from './retention/conversation-retention.module';
export * from './retention/conversation-retention.job';
export * from './conversation-ports.module';
