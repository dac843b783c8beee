export * from './audit.module';
export * from './audit.service';
export * from './audit-verifier';
export * from './audit-event.entity';
export * from './audit-hash';
export * from './audit.decorators';
export * from './audit-route.guard';
