import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@strata/core';
import { CliModule } from './cli.module';
import { auditVerifyCommand, CommandResult } from './commands/audit-verify.command';
import { backupCommand, restoreCommand } from './commands/backup.command';
import { migrateCommand } from './commands/migrate.command';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  migrate                                   apply pending migrations and list the schema's migrations
  audit verify --tenant <uuid|slug|platform>  check a tenant's audit hash chain; exit 1 at a broken link
  backup --to <file.tar.gz>                 embedded mode: write DATA_DIR to a backup (the API must be stopped)
  restore --from <file.tar.gz>              embedded mode: unpack a backup into an empty or new DATA_DIR

The CLI reads the same environment as the API (DATABASE_URL, DATA_DIR, ...). In embedded mode
stop the API first: the embedded database has a single owner process.`;

type Command = (app: INestApplicationContext, options: { tenant?: string }) => Promise<CommandResult>;

const COMMANDS: Record<string, Command> = {
  migrate: async (app) => ({ output: await migrateCommand(app), exitCode: 0 }),
  'audit verify': (app, options) => auditVerifyCommand(app, options.tenant),
};

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: { tenant: { type: 'string' }, to: { type: 'string' }, from: { type: 'string' } },
  });
  const name = positionals.join(' ');
  // These work on DATA_DIR's files, with no database open.
  if (name === 'backup' || name === 'restore') {
    const config = loadConfigOrExit({ withSecrets: false });
    const result =
      name === 'backup' ? await backupCommand(config, values.to) : await restoreCommand(config, values.from);
    (result.exitCode === 0 ? process.stdout : process.stderr).write(`${result.output}\n`);
    return result.exitCode;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`${name ? `Unknown command: ${name}\n\n` : ''}${USAGE}\n`);
    return 2;
  }
  const config = loadConfigOrExit();
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    const result = await command(app, values);
    (result.exitCode === 0 ? process.stdout : process.stderr).write(`${result.output}\n`);
    return result.exitCode;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`strata cli: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
