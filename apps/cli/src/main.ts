import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@strata/core';
import { CliModule } from './cli.module';
import { migrateCommand } from './commands/migrate.command';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  migrate    apply pending database migrations and list the schema's migrations

The CLI reads the same environment as the API (DATABASE_URL, DATA_DIR, ...). In embedded mode
stop the API first: the embedded database has a single owner process.`;

const COMMANDS = { migrate: migrateCommand } as const;

async function main(): Promise<number> {
  const { positionals } = parseArgs({ allowPositionals: true, strict: true, options: {} });
  const name = positionals[0] as keyof typeof COMMANDS | undefined;
  if (name === undefined || !(name in COMMANDS)) {
    process.stderr.write(`${name ? `Unknown command: ${name}\n\n` : ''}${USAGE}\n`);
    return 2;
  }
  const config = loadConfigOrExit();
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    process.stdout.write(`${await COMMANDS[name](app)}\n`);
    return 0;
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
