import { DomainError } from '@strata/core';
import { CliInputError } from './cli-input-error';
import type { CliIo, CommandResult } from './cli-io';
import type { CliSession } from './cli-session';

/**
 * Runs one command's work and turns its outcome into words and an exit code: bad input (an
 * unknown tenant, a refused value, a taken slug) is exit 2 with the API's error code where there
 * is one; anything else propagates and ends the process with 1.
 */
export class CommandRunner {
  exitCode = 0;

  constructor(
    readonly session: CliSession,
    readonly io: CliIo,
  ) {}

  async command(work: () => Promise<CommandResult>): Promise<void> {
    const result = await work().catch((error: unknown): CommandResult => {
      if (error instanceof DomainError)
        return { output: `error ${error.code}: ${error.message}`, exitCode: 2 };
      if (error instanceof CliInputError) return { output: `error: ${error.message}`, exitCode: 2 };
      throw error;
    });
    (result.exitCode === 0 ? this.io.out : this.io.err)(`${result.output}\n`);
    this.exitCode = result.exitCode;
  }
}
