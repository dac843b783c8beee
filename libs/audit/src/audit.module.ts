import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ErrorObserver } from '@strata/core';
import { AuditErrorObserver } from './audit-error.observer';
import { AuditEvent } from './audit-event.entity';
import { AuditRouteGuard } from './audit-route.guard';
import { AuditVerifier } from './audit-verifier';
import { AuditService } from './audit.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  providers: [
    AuditService,
    AuditVerifier,
    AuditRouteGuard,
    { provide: ErrorObserver, useClass: AuditErrorObserver },
  ],
  exports: [AuditService, AuditVerifier, AuditRouteGuard, ErrorObserver],
})
export class AuditModule {}
