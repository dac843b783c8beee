import { Command } from 'commander';
import { CreatePlatformAdminDto, UsersService } from '@strata/auth';
import { randomToken, validateInput } from '@strata/core';
import { done } from '../cli-io';
import type { CommandRunner } from '../command-runner';

/** `admin create`: another platform admin, e.g. for a second operator or after losing the first. */
export function adminCommands(run: CommandRunner): Command {
  const admin = new Command('admin').description('platform administrators');
  admin
    .command('create')
    .description(
      'create a platform admin user; without --password-stdin a password is generated and printed once',
    )
    .requiredOption('--email <email>', "the admin's login")
    .option('--password-stdin', 'read the password (12 characters or more) from standard input')
    .action((options: { email: string; passwordStdin?: boolean }) =>
      run.command(async () => {
        const generated = !options.passwordStdin;
        const password = generated ? randomToken(18) : (await run.io.readStdin()).replace(/\r?\n$/, '');
        const dto = await validateInput(CreatePlatformAdminDto, { email: options.email, password });
        const users = await run.session.get(UsersService);
        const user = await run.session.asOperator(() => users.createPlatformAdmin(dto));
        const lines = [`created platform admin ${user.email} (${user.id})`];
        if (generated) lines.push(`password: ${password}`, 'It is shown this once; keep it now.');
        return done(lines.join('\n'));
      }),
    );
  return admin;
}
