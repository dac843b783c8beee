import { Command } from 'commander';
import { done } from '../cli-io';
import type { CommandRunner } from '../command-runner';
import { auditCheckpointCommand, auditVerifyCommand } from './audit-verify.command';
import { backupCommand, restoreCommand } from './backup.command';
import { migrateCommand } from './migrate.command';
import { storageCheckCommand } from './storage-check.command';

/** `migrate`, `audit verify|checkpoint`, `storage check`, `backup`, `restore`: keeping the stores themselves in order. */
export function operationsCommands(run: CommandRunner): Command[] {
  const migrate = new Command('migrate')
    .description("apply pending migrations and list the schema's migrations")
    .action(() => run.command(async () => done(await migrateCommand(run.session))));

  const audit = new Command('audit').description('the append-only audit trail');
  audit
    .command('verify')
    .description("recompute a tenant's audit hash chain; exit 1 at the first broken link")
    .requiredOption('--tenant <tenant>', 'tenant uuid or slug, or `platform` for platform events')
    .option('--checkpoint <file>', 'a file `audit checkpoint` wrote: the chain must still hold what it saw')
    .option(
      '--accept-unkeyed',
      'accept events hashed before chains were keyed (deployments older than 2026-12-02)',
    )
    .action((options: { tenant: string; checkpoint?: string; acceptUnkeyed?: boolean }) =>
      run.command(() => auditVerifyCommand(run.session, options.tenant, options)),
    );
  audit
    .command('checkpoint')
    .description('append a signed checkpoint of every chain (or one) to a file kept outside the database')
    .requiredOption('--out <file>', 'the file to append to, one JSON line per chain')
    .option('--tenant <tenant>', 'only this tenant (uuid or slug, or `platform`)')
    .action((options: { out: string; tenant?: string }) =>
      run.command(() => auditCheckpointCommand(run.session, options.out, options.tenant)),
    );

  const backup = new Command('backup')
    .description('embedded mode: write DATA_DIR to a gzipped tar (stop the API first)')
    .requiredOption('--to <file>', 'the backup file to create, e.g. strata-backup.tar.gz')
    .action((options: { to: string }) =>
      run.command(() => backupCommand(run.session.fileConfig(), options.to)),
    );

  const restore = new Command('restore')
    .description('embedded mode: unpack a backup into an empty or new DATA_DIR')
    .requiredOption('--from <file>', 'a file `backup` wrote')
    .action((options: { from: string }) =>
      run.command(() => restoreCommand(run.session.fileConfig(), options.from)),
    );
  const storage = new Command('storage').description('the stores beside the database: vectors, graph, blobs');
  storage
    .command('check')
    .description(
      'find vectors and blobs of deleted documents and graph entities nothing supports; --fix removes them',
    )
    .option('--tenant <tenant>', 'only this tenant (uuid or slug)')
    .option('--fix', 'remove what the check finds')
    .action((options: { tenant?: string; fix?: boolean }) =>
      run.command(() => storageCheckCommand(run.session, options)),
    );
  return [migrate, audit, storage, backup, restore];
}
