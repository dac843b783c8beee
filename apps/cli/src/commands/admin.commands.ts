import { Command } from 'commander';
import {
  AccountsService,
  AuthService,
  CreatePlatformAdminDto,
  UnlockAccountDto,
  UsersService,
} from '@strata/auth';
import { randomToken, validateInput } from '@strata/core';
import { done } from '../cli-io';
import type { CommandRunner } from '../command-runner';

/**
 * `admin create`: another platform admin, e.g. for a second operator or after losing the first;
 * `admin unlock`: an account locked by failed logins, at once; `admin reset-password`: a one-time
 * reset for someone who lost theirs; `admin disable` / `admin enable`: an account's access.
 */
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
  admin
    .command('unlock')
    .description("clear an account's failed logins, unlocking it at once (recorded in the audit trail)")
    .requiredOption('--email <email>', "the account's login")
    .action((options: { email: string }) =>
      run.command(async () => {
        const dto = await validateInput(UnlockAccountDto, { email: options.email });
        // Without Redis the counters live in the API process, out of this command's reach.
        if (!run.session.fileConfig().redisUrl)
          return {
            output:
              'without REDIS_URL, failed logins are counted inside the API process: restarting it clears them, or a platform admin calls POST /api/v1/auth/unlock',
            exitCode: 2,
          };
        const auth = await run.session.get(AuthService);
        const { was_locked } = await run.session.asOperator(() => auth.unlock(dto.email));
        return done(
          was_locked ? `unlocked ${dto.email}` : `${dto.email} was not locked; its failed logins are cleared`,
        );
      }),
    );
  admin
    .command('reset-password')
    .description(
      'issue a one-time password reset for an account (valid 24 hours, replacing earlier ones); the person sets a new password with it',
    )
    .requiredOption('--email <email>', "the account's login")
    .action((options: { email: string }) =>
      run.command(async () => {
        const { email } = await validateInput(UnlockAccountDto, { email: options.email });
        const accounts = await run.session.get(AccountsService);
        const { account, token, expires_at } = await run.session.asOperator(async () => {
          const account = await accounts.findByEmail(email);
          return { account, ...(await accounts.issueReset(account.id)) };
        });
        return done(
          [
            `password reset for ${account.email}, valid until ${expires_at}:`,
            token,
            'It is shown this once. The person sets a new password with it:',
            `  POST /api/v1/auth/password/reset {"token": "<the token>", "new_password": "<12 characters or more>"}`,
            'Their sessions end when they do.',
          ].join('\n'),
        );
      }),
    );
  for (const [name, verb] of [
    ['disable', 'disable an account: it signs in no more and its sessions end at once'],
    ['enable', 'enable a disabled account again, with its own password'],
  ] as const) {
    admin
      .command(name)
      .description(`${verb} (recorded in the audit trail)`)
      .requiredOption('--email <email>', "the account's login")
      .action((options: { email: string }) =>
        run.command(async () => {
          const { email } = await validateInput(UnlockAccountDto, { email: options.email });
          const accounts = await run.session.get(AccountsService);
          const account = await run.session.asOperator(async () => {
            const { id } = await accounts.findByEmail(email);
            return name === 'disable' ? accounts.disable(id) : accounts.enable(id);
          });
          return done(`${account.email} is ${account.disabled_at === null ? 'enabled' : 'disabled'}`);
        }),
      );
  }
  return admin;
}
