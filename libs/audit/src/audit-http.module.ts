import { Module } from '@nestjs/common';
import { ErrorObserver } from '@strata/core';
import { AuditErrorObserver } from './audit-error.observer';
import { AuditRouteGuard } from './audit-route.guard';
import { AuditController } from './audit.controller';

/** The HTTP side of the audit trail: the audit API, route naming and the denial recorder. */
@Module({
  controllers: [AuditController],
  providers: [AuditRouteGuard, { provide: ErrorObserver, useClass: AuditErrorObserver }],
  exports: [AuditRouteGuard, ErrorObserver],
})
export class AuditHttpModule {}
