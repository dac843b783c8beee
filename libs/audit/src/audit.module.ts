import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEvent } from './audit-event.entity';
import { AuditQueryService } from './audit-query.service';
import { AuditVerifier } from './audit-verifier';
import { AuditService } from './audit.service';

/** Writing, reading and verifying the audit trail (used by the API, the worker and the CLI). */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  providers: [AuditService, AuditVerifier, AuditQueryService],
  exports: [AuditService, AuditVerifier, AuditQueryService],
})
export class AuditModule {}
