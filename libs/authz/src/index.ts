export * from './ability';
export * from './policies.decorator';
export * from './policies.guard';
