import { Command, CommanderError } from 'commander';
import type { AppConfig } from '@strata/core';
import type { CliIo } from './cli-io';
import { CliSession } from './cli-session';
import { CommandRunner } from './command-runner';
import { adminCommands } from './commands/admin.commands';
import { apiKeyCommands } from './commands/api-key.commands';
import { importLightragCommand } from './commands/import-lightrag.command';
import { kbCommands } from './commands/kb.commands';
import { operationsCommands } from './commands/operations.commands';
import { tenantCommands } from './commands/tenant.commands';

const ABOUT = [
  "Strata's operator commands. They read the same environment as the API (DATABASE_URL, DATA_DIR, REDIS_URL, ...) and act as the host's operator, recorded as system:cli in the audit trail. In the embedded mode stop the API first: its database has a single owner process.",
  'Exit codes: 0 done, 1 the command failed (or found a problem), 2 bad input.',
].join('\n\n');

/** The program: every command and its help. Settings given here reach every subcommand. */
function program(run: CommandRunner): Command {
  const root = new Command('npm run cli --')
    .description(ABOUT)
    .exitOverride()
    .configureOutput({ writeOut: run.io.out, writeErr: run.io.err })
    .showHelpAfterError('(add --help for usage)')
    .helpCommand(true);
  const commands = [
    adminCommands(run),
    tenantCommands(run),
    kbCommands(run),
    apiKeyCommands(run),
    importLightragCommand(run),
    ...operationsCommands(run),
  ];
  for (const command of commands) root.addCommand(inherit(command, root));
  return root;
}

/** Commands built apart get the root's output and exit handling, down to their subcommands. */
function inherit(command: Command, root: Command): Command {
  command.copyInheritedSettings(root);
  for (const sub of command.commands) inherit(sub as Command, root);
  return command;
}

/**
 * Runs one command line (without `node main.js`) and answers the exit code. `stores` is the
 * environment's configuration, or a session a caller keeps open across command lines (tests), which
 * is then left open.
 */
export async function runCli(
  argv: string[],
  io: CliIo,
  stores: ((options: { withSecrets: boolean }) => AppConfig) | CliSession,
): Promise<number> {
  const session = stores instanceof CliSession ? stores : new CliSession(stores);
  const run = new CommandRunner(session, io);
  try {
    await program(run).parseAsync(argv, { from: 'user' });
    return run.exitCode;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help asked for is success; any other complaint of the parser is bad input.
    return error.exitCode === 0 ? 0 : 2;
  } finally {
    if (session !== stores) await session.close();
  }
}
